package dev.beacon.identity.error;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the error body where no controller advice reaches: web filters, security entry points and
 * failure handlers, and controllers that answer with a {@link ResponseEntity} themselves.
 */
public final class ApiErrors {

  private ApiErrors() {}

  /** Writes {@code error} as the response, unless the response is already committed. */
  public static Mono<Void> write(ServerWebExchange exchange, ApiException error) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    byte[] bytes = JsonMapper.shared().writeValueAsBytes(error.body());
    response.setStatusCode(error.status());
    HttpHeaders headers = response.getHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    headers.setContentLength(bytes.length);
    if (error.retryAfter() != null) {
      headers.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds(error));
    }
    return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
  }

  /** Writes {@code {"code", "message"}} with {@code status}. */
  public static Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String code, String message) {
    return write(exchange, new ApiException(status, code, message));
  }

  /** {@code error} as a response entity, {@code Retry-After} included. */
  public static ResponseEntity<Object> response(ApiException error) {
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON);
    if (error.retryAfter() != null) {
      response.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(error));
    }
    return response.body(error.body());
  }

  /** {@code {"code", "message"}} with {@code status} as a response entity. */
  public static ResponseEntity<Object> response(HttpStatus status, String code, String message) {
    return response(new ApiException(status, code, message));
  }

  private static String retryAfterSeconds(ApiException error) {
    long millis = error.retryAfter().toMillis();
    return Long.toString(Math.max(1, (millis + 999) / 1000));
  }
}
