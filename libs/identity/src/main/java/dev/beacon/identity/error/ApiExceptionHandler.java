package dev.beacon.identity.error;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/**
 * Answers every {@link ApiException} a controller raises with the error body, and a request body or
 * parameter Spring cannot read with 400 {@code invalid_request}.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Object> handle(ApiException e) {
    return ApiErrors.response(e);
  }

  @ExceptionHandler(ServerWebInputException.class)
  ResponseEntity<Object> handle(ServerWebInputException e) {
    return ApiErrors.response(
        HttpStatus.BAD_REQUEST, "invalid_request", "The request body or a parameter is malformed.");
  }
}
