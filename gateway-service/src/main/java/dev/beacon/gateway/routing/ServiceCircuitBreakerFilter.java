package dev.beacon.gateway.routing;

import dev.beacon.gateway.config.ServiceUrls;
import dev.beacon.identity.error.ApiErrors;
import dev.beacon.identity.error.ApiException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One Resilience4j circuit breaker per service around everything the gateway does with a routed
 * request (including its retries). A service that cannot be reached, times out, or whose circuit is
 * open is answered with 503 {@code {"code": "service_unavailable", "message", "service"}}; the
 * other services' circuits are unaffected. Responses the service does send, errors included, pass
 * through untouched and count as successes: only the transport decides whether a service is down.
 *
 * <p>There is deliberately no time limiter around the call: it would cut Server-Sent Event streams.
 * Waiting is bounded by the route's connect and response timeouts.
 */
@Component
class ServiceCircuitBreakerFilter implements GlobalFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger(ServiceCircuitBreakerFilter.class);

  private final CircuitBreakerRegistry circuitBreakers;

  ServiceCircuitBreakerFilter(RoutingProperties properties, MeterRegistry meters) {
    RoutingProperties.CircuitBreakerSettings settings = properties.circuitBreaker();
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .failureRateThreshold(settings.failureRateThreshold())
            .slidingWindowSize(settings.slidingWindowSize())
            .minimumNumberOfCalls(settings.minimumNumberOfCalls())
            .waitDurationInOpenState(settings.waitDurationInOpenState())
            .permittedNumberOfCallsInHalfOpenState(2)
            .recordException(ServiceCircuitBreakerFilter::isUnavailable)
            .build();
    this.circuitBreakers = CircuitBreakerRegistry.of(config);
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(circuitBreakers).bindTo(meters);
    ServiceUrls.SERVICES.forEach(circuitBreakers::circuitBreaker);
  }

  @Override
  public int getOrder() {
    // outermost: the route's retries happen inside the breaker
    return Ordered.HIGHEST_PRECEDENCE + 100;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
    Object service = route == null ? null : route.getMetadata().get(ServiceRoutes.SERVICE);
    if (service == null) {
      return chain.filter(exchange);
    }
    String name = service.toString();
    CircuitBreaker breaker = circuitBreakers.circuitBreaker(name);
    return chain
        .filter(exchange)
        .transformDeferred(CircuitBreakerOperator.of(breaker))
        .onErrorResume(
            ServiceCircuitBreakerFilter::isUnavailableOrOpen,
            e -> {
              log.debug("{} unavailable: {}", name, e.toString());
              return ApiErrors.write(
                  exchange,
                  new ApiException(
                          HttpStatus.SERVICE_UNAVAILABLE,
                          "service_unavailable",
                          "The " + name + " service is unavailable. Try again shortly.")
                      .with("service", name));
            });
  }

  private static boolean isUnavailableOrOpen(Throwable error) {
    return error instanceof io.github.resilience4j.circuitbreaker.CallNotPermittedException
        || isUnavailable(error);
  }

  /** Connection failures, timeouts and the gateway's own 502/504 for them. */
  static boolean isUnavailable(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof TimeoutException
          || cause instanceof IOException) {
        return true;
      }
      if (cause instanceof ResponseStatusException status
          && (status.getStatusCode().value() == 502
              || status.getStatusCode().value() == 503
              || status.getStatusCode().value() == 504)) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }
}
