package dev.beacon.gateway.account;

import org.springframework.http.HttpStatus;

/** A refused account operation, answered with its status and stable code. */
public final class AccountProblem extends RuntimeException {

  private final HttpStatus status;
  private final String code;

  AccountProblem(HttpStatus status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  static AccountProblem notFound() {
    return new AccountProblem(HttpStatus.NOT_FOUND, "not_found", "No such workspace or member.");
  }

  static AccountProblem forbidden() {
    return new AccountProblem(
        HttpStatus.FORBIDDEN, "forbidden_role", "Your role in this workspace does not allow this.");
  }

  static AccountProblem lastOwner() {
    return new AccountProblem(
        HttpStatus.CONFLICT,
        "last_owner",
        "A workspace needs at least one owner: make someone else owner first.");
  }

  static AccountProblem invalid(String message) {
    return new AccountProblem(HttpStatus.BAD_REQUEST, "invalid_request", message);
  }
}
