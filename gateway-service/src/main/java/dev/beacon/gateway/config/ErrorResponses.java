package dev.beacon.gateway.config;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the gateway's error bodies: JSON with a stable {@code code} and a fixed {@code message},
 * the same shape as the services' errors.
 */
public final class ErrorResponses {

  private ErrorResponses() {}

  /** Writes {@code {"code", "message"}} plus {@code extra} fields with {@code status}. */
  public static Mono<Void> write(
      ServerWebExchange exchange,
      HttpStatus status,
      String code,
      String message,
      Map<String, String> extra) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.putAll(extra);
    byte[] bytes = JsonMapper.shared().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    response.getHeaders().setContentLength(bytes.length);
    DataBuffer buffer = response.bufferFactory().wrap(bytes);
    return response.writeWith(Mono.just(buffer));
  }

  /** Writes {@code {"code", "message"}} with {@code status}. */
  public static Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String code, String message) {
    return write(exchange, status, code, message, Map.of());
  }
}
