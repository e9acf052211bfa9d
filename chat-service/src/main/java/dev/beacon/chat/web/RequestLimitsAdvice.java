package dev.beacon.chat.web;

import dev.beacon.identity.error.ApiErrors;
import dev.beacon.identity.error.ApiException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ContentTooLargeException;

/**
 * A request body past {@code spring.codec.max-in-memory-size} is answered with the one error body,
 * 413 {@code request_too_large} with {@code limit_bytes} (as the gateway answers it), instead of
 * Spring Boot's default error page.
 */
@RestControllerAdvice
class RequestLimitsAdvice {

  private final DataSize limit;

  RequestLimitsAdvice(@Value("${spring.codec.max-in-memory-size}") DataSize limit) {
    this.limit = limit;
  }

  @ExceptionHandler(ContentTooLargeException.class)
  ResponseEntity<Object> tooLarge(ContentTooLargeException e) {
    return ApiErrors.response(
        new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                "request_too_large",
                "The request body is larger than " + limit.toKilobytes() + " KB.")
            .with("limit_bytes", Long.toString(limit.toBytes())));
  }
}
