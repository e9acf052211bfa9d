package dev.beacon.alert.preview;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Reads history from obs-aggregator-service's documented read API ({@code GET
 * /api/obs/metrics/timeseries}), forwarding the caller's signed identity, so the aggregator scopes
 * the answer to the caller's workspace exactly as for the dashboard.
 */
class AggregatorClient {

  /** The aggregator's timeseries answer. */
  record Timeseries(List<Series> series) {}

  /** One group's points ({@code group} is null when ungrouped). */
  record Series(String group, List<Point> points) {}

  /** One step. */
  record Point(Instant time, BigDecimal value) {}

  private final WebClient client;

  AggregatorClient(AlertProperties properties) {
    this.client =
        WebClient.builder()
            .baseUrl(properties.aggregatorUrl())
            .clientConnector(
                new ReactorClientHttpConnector(
                    HttpClient.create().responseTimeout(Duration.ofSeconds(20))))
            .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
            .build();
  }

  /**
   * One measure per step and group.
   *
   * @param identityToken the caller's {@code X-Beacon-Identity}
   * @param query step, metric, from, to, group_by and filters
   */
  Mono<Timeseries> timeseries(String identityToken, Map<String, String> query) {
    return client
        .get()
        .uri(
            builder -> {
              UriBuilder b = builder.path("/api/obs/metrics/timeseries");
              query.forEach((k, v) -> b.queryParam(k, v));
              return b.build();
            })
        .header(ForwardedIdentity.HEADER, identityToken)
        .retrieve()
        .onStatus(
            status -> !status.is2xxSuccessful(),
            response ->
                Mono.just(
                    new ApiException(
                        HttpStatus.BAD_GATEWAY,
                        "aggregator_unavailable",
                        "The metrics history could not be read (aggregator answered "
                            + response.statusCode().value()
                            + ").")))
        .bodyToMono(Timeseries.class)
        .onErrorMap(
            e -> !(e instanceof ApiException),
            e ->
                new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    "aggregator_unavailable",
                    "The metrics history could not be read (aggregator unreachable)."));
  }
}
