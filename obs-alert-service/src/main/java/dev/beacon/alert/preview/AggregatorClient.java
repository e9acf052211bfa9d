package dev.beacon.alert.preview;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.rule.Rule;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import io.netty.channel.ChannelOption;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reads history from obs-aggregator-service's documented read API ({@code GET
 * /api/obs/metrics/timeseries}), forwarding the caller's signed identity, so the aggregator scopes
 * the answer to the caller's workspace exactly as for the dashboard.
 */
class AggregatorClient implements AutoCloseable {

  /** The aggregator's timeseries answer. */
  record Timeseries(List<Series> series) {}

  /** One group's points ({@code group} is null when ungrouped). */
  record Series(String group, List<Point> points) {}

  /** One step. */
  record Point(Instant time, BigDecimal value) {}

  private final ConnectionProvider pool;
  private final WebClient client;

  /**
   * The longest a whole read may take, connecting included: a preview answers 502 in bounded time
   * however the aggregator (or the way to it) stalls.
   */
  private final Duration readLimit;

  AggregatorClient(AlertProperties properties) {
    // its own pool: idle connections are dropped before a server's idle timeout can close them
    // under a reused request, and waiting for a connection is bounded
    this.readLimit = properties.aggregatorTimeout();
    this.pool =
        ConnectionProvider.builder("aggregator-read")
            .maxConnections(16)
            .maxIdleTime(Duration.ofSeconds(10))
            .evictInBackground(Duration.ofSeconds(5))
            .pendingAcquireTimeout(Duration.ofSeconds(5))
            .build();
    this.client =
        WebClient.builder()
            .baseUrl(properties.aggregatorUrl())
            .clientConnector(
                new ReactorClientHttpConnector(
                    HttpClient.create(pool)
                        .option(
                            ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.min(readLimit.toMillis(), 5000))
                        .responseTimeout(readLimit)))
            .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
            .build();
  }

  /**
   * One measure of the series a rule counts, per group ({@code ""} when ungrouped) and step start.
   *
   * @param identityToken the caller's {@code X-Beacon-Identity}
   * @param rule the rule: its filters and grouping
   * @param metric the aggregator's measure, e.g. {@code cost_nano_usd}
   * @param step {@code 1m}, {@code 1h} or {@code 1d}
   * @param from the first step's start
   * @param to the end of the range
   */
  Mono<Map<String, NavigableMap<Instant, BigDecimal>>> series(
      String identityToken, Rule rule, String metric, String step, Instant from, Instant to) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("step", step);
    query.put("metric", metric);
    query.put("from", from.toString());
    query.put("to", to.toString());
    if (rule.groupBy() != null) {
      query.put("group_by", rule.groupBy().wire());
    }
    Rule.Filters f = rule.filters();
    putIfSet(query, "agent", f.agent());
    putIfSet(query, "provider", f.provider());
    putIfSet(query, "model", f.model());
    putIfSet(query, "tool", f.tool());
    putIfSet(query, "service", f.service());
    putIfSet(query, "type", f.type());
    return timeseries(identityToken, query).map(AggregatorClient::byGroup);
  }

  /** Closes the pool's connections. */
  @Override
  public void close() {
    pool.dispose();
  }

  private static Map<String, NavigableMap<Instant, BigDecimal>> byGroup(Timeseries ts) {
    Map<String, NavigableMap<Instant, BigDecimal>> byGroup = new HashMap<>();
    if (ts.series() != null) {
      for (Series s : ts.series()) {
        NavigableMap<Instant, BigDecimal> points =
            byGroup.computeIfAbsent(s.group() == null ? "" : s.group(), g -> new TreeMap<>());
        for (Point p : s.points()) {
          if (p.time() != null && p.value() != null) {
            points.put(p.time(), p.value());
          }
        }
      }
    }
    return byGroup;
  }

  private static void putIfSet(Map<String, String> query, String key, String value) {
    if (value != null) {
      query.put(key, value);
    }
  }

  private Mono<Timeseries> timeseries(String identityToken, Map<String, String> query) {
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
        .timeout(readLimit)
        .onErrorMap(
            e -> !(e instanceof ApiException),
            e ->
                new ApiException(
                    HttpStatus.BAD_GATEWAY,
                    "aggregator_unavailable",
                    "The metrics history could not be read (aggregator unreachable or too slow)."));
  }
}
