package dev.beacon.alert.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** Every API error is JSON {@code {code, message}} with a stable code. */
@RestControllerAdvice
class ApiExceptionHandler {

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ApiError> handle(ApiException e) {
    return ResponseEntity.status(e.status()).body(new ApiError(e.code(), e.getMessage()));
  }

  @ExceptionHandler(ServerWebInputException.class)
  ResponseEntity<ApiError> handle(ServerWebInputException e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .body(new ApiError("invalid_request", "The request body or a parameter is malformed."));
  }

  /**
   * An error body.
   *
   * @param code stable machine-readable code
   * @param message what is wrong, for people
   */
  public record ApiError(String code, String message) {}
}
