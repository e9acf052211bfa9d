package dev.beacon.gateway.routing;

import dev.beacon.gateway.config.ServiceUrls;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.route.builder.UriSpec;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * The route table: which {@code /api/**} paths go to which service, with per-route timeouts and GET
 * retries. The request size limit, circuit breaker, identity and session rate limit are global
 * filters ({@link RequestSizeLimitFilter}, {@link ServiceCircuitBreakerFilter}, {@link
 * ForwardedIdentityFilter}); every route carries its service's name in the {@value #SERVICE}
 * metadata for them.
 */
@Configuration(proxyBeanMethods = false)
class ServiceRoutes {

  static final String SERVICE = "beacon-service";

  @Bean
  RouteLocator serviceRouteLocator(
      RouteLocatorBuilder builder, ServiceUrls urls, RoutingProperties properties) {
    return builder
        .routes()
        .route(
            "obs-ingest",
            r ->
                r.order(0)
                    .path(
                        "/api/obs/keys/**", "/api/obs/usage", "/api/obs/v1/**", "/api/obs/otlp/**")
                    .filters(f -> common(f, properties))
                    .metadata(metadata("obs-ingest", properties))
                    .uri(urls.url("obs-ingest")))
        .route(
            "obs-alert",
            r ->
                r.order(1)
                    .path("/api/obs/alerts/**", "/api/obs/notifications/**")
                    .filters(f -> common(f, properties))
                    .metadata(metadata("obs-alert", properties))
                    .uri(urls.url("obs-alert")))
        .route(
            "obs-aggregator",
            r ->
                r.order(2)
                    .path("/api/obs/**")
                    .filters(f -> common(f, properties))
                    .metadata(metadata("obs-aggregator", properties))
                    .uri(urls.url("obs-aggregator")))
        .route(
            "chat",
            r ->
                r.order(3)
                    .path("/api/chat/**")
                    .filters(f -> common(f, properties))
                    .metadata(metadata("chat", properties))
                    .uri(urls.url("chat")))
        .route(
            "billing",
            r ->
                r.order(3)
                    .path("/api/billing/**")
                    .filters(f -> common(f, properties))
                    .metadata(metadata("billing", properties))
                    .uri(urls.url("billing")))
        .route(
            "integrations",
            r ->
                r.order(3)
                    .path("/api/integrations/**")
                    .filters(f -> common(f, properties))
                    .metadata(metadata("integrations", properties))
                    .uri(urls.url("integrations")))
        .build();
  }

  private static UriSpec common(GatewayFilterSpec filters, RoutingProperties properties) {
    return filters.retry(
        retry ->
            retry
                .setRetries(properties.retries())
                .setMethods(HttpMethod.GET)
                .setSeries()
                .setStatuses(
                    HttpStatus.BAD_GATEWAY,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    HttpStatus.GATEWAY_TIMEOUT)
                .setExceptions(IOException.class, TimeoutException.class)
                .setBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 2, true));
  }

  private static Map<String, Object> metadata(String service, RoutingProperties properties) {
    Duration response =
        properties
            .responseTimeouts()
            .getOrDefault(
                service,
                properties.responseTimeouts().getOrDefault("default", Duration.ofSeconds(30)));
    return Map.of(
        SERVICE,
        service,
        RouteMetadataUtils.CONNECT_TIMEOUT_ATTR,
        (int) properties.connectTimeout().toMillis(),
        RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR,
        (int) response.toMillis());
  }
}
