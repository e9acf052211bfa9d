package dev.beacon.alert.web;

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

  /** 400 with the given code. */
  public static ApiException invalid(String code, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, code, message);
  }

  /** 404 with the given code, for rows that do not exist and rows of another workspace alike. */
  public static ApiException notFound(String code, String message) {
    return new ApiException(HttpStatus.NOT_FOUND, code, message);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }
}
