package dev.beacon.gateway.routing;

import dev.beacon.identity.error.ApiErrors;
import dev.beacon.identity.error.ApiException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Refuses routed request bodies larger than {@link RoutingProperties#maxRequestSize()} with 413
 * {@code {"code": "request_too_large", "message", "limit_bytes"}}: at once when {@code
 * Content-Length} says so, and for a body without a length (chunked) as soon as the bytes streamed
 * through pass the limit (the service's half-sent request is then abandoned). Replaces Spring Cloud
 * Gateway's {@code RequestSize} filter, which only reads {@code Content-Length} and answers without
 * a body.
 */
@Component
class RequestSizeLimitFilter implements GlobalFilter, Ordered {

  static final String CODE = "request_too_large";

  private final long maxBytes;
  private final String message;

  RequestSizeLimitFilter(RoutingProperties properties) {
    this.maxBytes = properties.maxRequestSize().toBytes();
    this.message = "The request body is larger than the gateway's limit of " + maxBytes + " bytes.";
  }

  @Override
  public int getOrder() {
    // before the circuit breaker: an oversized request says nothing about the service's health
    return Ordered.HIGHEST_PRECEDENCE + 50;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    long declared = request.getHeaders().getContentLength();
    if (declared > maxBytes) {
      return tooLarge(exchange);
    }
    if (declared >= 0) {
      return chain.filter(exchange);
    }
    ServerHttpRequest counted =
        new ServerHttpRequestDecorator(request) {
          @Override
          public Flux<DataBuffer> getBody() {
            AtomicLong seen = new AtomicLong();
            return super.getBody()
                .handle(
                    (buffer, sink) -> {
                      if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        DataBufferUtils.release(buffer);
                        sink.error(new TooLarge());
                      } else {
                        sink.next(buffer);
                      }
                    });
          }
        };
    return chain
        .filter(exchange.mutate().request(counted).build())
        .onErrorResume(RequestSizeLimitFilter::causedByTooLarge, e -> tooLarge(exchange));
  }

  private Mono<Void> tooLarge(ServerWebExchange exchange) {
    // limit_bytes has always been a JSON string
    return ApiErrors.write(
        exchange,
        new ApiException(HttpStatus.CONTENT_TOO_LARGE, CODE, message)
            .with("limit_bytes", Long.toString(maxBytes)));
  }

  private static boolean causedByTooLarge(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof TooLarge) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /** The streamed body passed the limit. */
  private static final class TooLarge extends RuntimeException {
    TooLarge() {
      super("request body too large", null, false, false);
    }
  }
}
