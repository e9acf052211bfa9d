package dev.beacon.aggregator.metrics.stream;

import dev.beacon.events.MetricUpdate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Fans the metric updates this replica reads from Kafka out to the live streams open on it, per
 * workspace. A workspace has a sink only while at least one stream of it is open, so updates of
 * other workspaces are dropped at a map lookup. A slow stream misses updates rather than holding
 * the consumer back (best effort: the next update carries the absolute totals again).
 */
final class MetricUpdateHub {

  private final Map<String, Subscribers> byWorkspace = new ConcurrentHashMap<>();
  private final AtomicBoolean live = new AtomicBoolean();

  /** The updates of one workspace from the moment of subscription on; never completes. */
  public Flux<MetricUpdate> updates(String workspaceId) {
    return Flux.defer(
        () -> {
          Subscribers subscribers =
              byWorkspace.compute(
                  workspaceId,
                  (id, current) -> (current == null ? new Subscribers() : current).join());
          return subscribers
              .sink
              .asFlux()
              .doFinally(
                  signal ->
                      byWorkspace.computeIfPresent(workspaceId, (id, current) -> current.leave()));
        });
  }

  /** Hands one update to the open streams of its workspace, if any. */
  void accept(MetricUpdate update) {
    Subscribers subscribers = byWorkspace.get(update.workspaceId());
    if (subscribers != null) {
      subscribers.sink.tryEmitNext(update);
    }
  }

  /** Whether any stream is open, so that the listener can skip decoding when nobody listens. */
  boolean hasSubscribers() {
    return !byWorkspace.isEmpty();
  }

  /**
   * Whether this replica's stream consumer holds its partitions with positions resolved to their
   * end: from then on every update published reaches the open streams.
   */
  public boolean isLive() {
    return live.get();
  }

  void live(boolean value) {
    live.set(value);
  }

  /** Open streams per workspace; mutated only inside the map's atomic compute. */
  private static final class Subscribers {
    private final Sinks.Many<MetricUpdate> sink = Sinks.many().multicast().directBestEffort();
    private int count;

    Subscribers join() {
      count++;
      return this;
    }

    Subscribers leave() {
      count--;
      return count == 0 ? null : this;
    }
  }
}
