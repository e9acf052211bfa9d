package dev.beacon.aggregator.metrics.stream;

import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.events.MetricUpdate;
import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/obs/metrics/stream}: Server-Sent Events of the caller's workspace. Event {@code
 * metrics} with data {@code {"at": <instant>, "updates": [MetricUpdate…]}}, at most one per
 * coalescing window (500 ms), holding the latest update per (agent, type, subject, minute) of that
 * window; a comment line every heartbeat interval (15 s) keeps proxies from closing an idle stream.
 * The first line is the comment {@code connected}, sent as the stream starts listening.
 */
@RestController
class MetricStreamController {

  static final String EVENT = "metrics";

  private final MetricUpdateHub hub;
  private final Clock clock;
  private final Duration coalesce;
  private final Duration heartbeat;

  MetricStreamController(MetricUpdateHub hub, Clock clock, AggregatorProperties properties) {
    this.hub = hub;
    this.clock = clock;
    this.coalesce = properties.stream().coalesce();
    this.heartbeat = properties.stream().heartbeat();
  }

  @GetMapping(path = "/api/obs/metrics/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<ServerSentEvent<MetricsEvent>> stream(@AuthenticationPrincipal ForwardedIdentity identity) {
    return events(hub.updates(identity.workspaceId()), clock, coalesce, heartbeat);
  }

  /**
   * The stream of one workspace's updates as SSE: coalesced per window, latest per bucket wins (the
   * totals are absolute), empty windows send nothing, heartbeat comments in between.
   */
  static Flux<ServerSentEvent<MetricsEvent>> events(
      Flux<MetricUpdate> updates, Clock clock, Duration coalesce, Duration heartbeat) {
    Flux<ServerSentEvent<MetricsEvent>> metrics =
        updates
            .buffer(coalesce)
            .filter(window -> !window.isEmpty())
            .map(
                window ->
                    ServerSentEvent.builder(
                            new MetricsEvent(clock.instant(), latestPerBucket(window)))
                        .event(EVENT)
                        .build());
    Flux<ServerSentEvent<MetricsEvent>> heartbeats =
        Flux.interval(heartbeat, heartbeat)
            .map(tick -> ServerSentEvent.<MetricsEvent>builder().comment("heartbeat").build());
    return Flux.merge(metrics, heartbeats)
        .startWith(ServerSentEvent.<MetricsEvent>builder().comment("connected").build());
  }

  private static List<MetricUpdate> latestPerBucket(List<MetricUpdate> window) {
    Map<List<Object>, MetricUpdate> latest = new LinkedHashMap<>();
    for (MetricUpdate update : window) {
      List<Object> bucket =
          List.of(
              String.valueOf(update.agentId()),
              String.valueOf(update.type()),
              String.valueOf(update.subject()),
              String.valueOf(update.minuteStart()));
      latest.remove(bucket);
      latest.put(bucket, update);
    }
    return List.copyOf(latest.values());
  }

  /**
   * The data of a {@code metrics} event.
   *
   * @param at when the event was sent
   * @param updates the latest update per bucket from the window, in arrival order
   */
  record MetricsEvent(Instant at, List<MetricUpdate> updates) {}
}
