package dev.beacon.aggregator.web;

import org.springframework.http.HttpStatus;

/** A documented API error: HTTP status, stable machine-readable code, human-readable message. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String code;

  public ApiException(HttpStatus status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** 400 {@code invalid_parameter}. */
  public static ApiException invalid(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", message);
  }

  /** 404 {@code not_found}, for rows that do not exist and rows of another workspace alike. */
  public static ApiException notFound(String what) {
    return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " not found.");
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }
}
