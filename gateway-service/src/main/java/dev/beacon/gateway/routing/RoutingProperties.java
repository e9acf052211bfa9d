package dev.beacon.gateway.routing;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code beacon.gateway.routing.*}, except the services' addresses ({@code
 * services.*}, {@link dev.beacon.gateway.config.ServiceUrls}).
 *
 * @param connectTimeout how long to wait for a connection to a service
 * @param responseTimeouts how long to wait for a service's response headers, per service (a stream
 *     that has started is not cut); {@code default} applies to the others
 * @param maxRequestSize larger request bodies are refused with 413 before reaching a service
 * @param sessionRequestsPerSecond routed requests per second per session or API key
 * @param retries extra attempts for a GET that failed to connect or got 502/503/504
 * @param circuitBreaker the per-service circuit breaker
 */
@ConfigurationProperties("beacon.gateway.routing")
record RoutingProperties(
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue Map<String, Duration> responseTimeouts,
    @DefaultValue("10MB") DataSize maxRequestSize,
    @DefaultValue("50") int sessionRequestsPerSecond,
    @DefaultValue("2") int retries,
    @DefaultValue CircuitBreakerSettings circuitBreaker) {

  /**
   * @param failureRateThreshold percentage of failed calls in the window that opens the circuit
   * @param slidingWindowSize calls in the window
   * @param minimumNumberOfCalls calls needed before the rate is judged
   * @param waitDurationInOpenState how long an open circuit refuses calls before probing again
   */
  public record CircuitBreakerSettings(
      @DefaultValue("50") float failureRateThreshold,
      @DefaultValue("20") int slidingWindowSize,
      @DefaultValue("10") int minimumNumberOfCalls,
      @DefaultValue("10s") Duration waitDurationInOpenState) {}
}
