package dev.beacon.loadgen.aggregator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Freshness — from ingest's acknowledgement to the event showing in the read API — measured without
 * loading the service being measured.
 *
 * <p>Probe events go, one per request, to a workspace of their own, and ONE poller asks that
 * workspace's event list ({@code GET /api/obs/events}, newest first, since the oldest pending
 * probe) every {@value #POLL_MS} ms for all pending probes at once: at most 20 small requests per
 * second whatever the lag. The earlier per-probe polling of {@code GET /api/obs/events/{id}} every
 * 25 ms sent 40 requests per second per pending probe, which at 5 probes/s took a large share of
 * the aggregator's CPU and made the lag it was measuring. Resolution: the poll interval. A probe
 * not seen within {@link #GIVE_UP} is counted as given up. Probes expected as not measured (during
 * a warm-up) are polled for the same way, so the read path is as warm as the write path when the
 * measuring starts, but recorded nowhere.
 */
final class FreshnessWatcher implements AutoCloseable {

  static final Duration GIVE_UP = Duration.ofSeconds(30);
  static final long POLL_MS = 50;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A probe not yet seen: when it was acknowledged, its {@code occurred_at}, and whether it counts.
   */
  private record Pending(long ackNanos, Instant occurredAt, boolean measured) {}

  private final HttpClient http;
  private final String eventsUrl;
  private final SignedIdentity identity;
  private final String workspace;
  private final Histogram freshnessMs;
  private final AtomicLong gaveUp;
  private final AtomicLong polls = new AtomicLong();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "freshness-watcher");
            thread.setDaemon(true);
            return thread;
          });

  FreshnessWatcher(
      HttpClient http,
      String aggregatorUrl,
      SignedIdentity identity,
      String workspace,
      Histogram freshnessMs,
      AtomicLong gaveUp) {
    this.http = http;
    this.eventsUrl = aggregatorUrl.replaceAll("/+$", "") + "/api/obs/events";
    this.identity = identity;
    this.workspace = workspace;
    this.freshnessMs = freshnessMs;
    this.gaveUp = gaveUp;
    poller.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Watches for an event that ingest acknowledged at {@code ackNanos}.
   *
   * @param measured false for a warm-up probe: polled for, but neither recorded nor counted
   */
  void expect(UUID eventId, Instant occurredAt, long ackNanos, boolean measured) {
    pending.put(eventId.toString(), new Pending(ackNanos, occurredAt, measured));
  }

  /** Probes still waiting. */
  int pending() {
    return pending.size();
  }

  /** Requests sent to the read API so far. */
  long polls() {
    return polls.get();
  }

  private void poll() {
    try {
      long now = System.nanoTime();
      pending
          .entrySet()
          .removeIf(
              entry -> {
                boolean expired = now - entry.getValue().ackNanos() > GIVE_UP.toNanos();
                if (expired && entry.getValue().measured()) {
                  gaveUp.incrementAndGet();
                }
                return expired;
              });
      Instant oldest =
          pending.values().stream().map(Pending::occurredAt).min(Instant::compareTo).orElse(null);
      if (oldest == null) {
        return;
      }
      String from = URLEncoder.encode(oldest.minusSeconds(1).toString(), StandardCharsets.UTF_8);
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(eventsUrl + "?limit=500&from=" + from))
                  .timeout(Duration.ofSeconds(5))
                  .header(SignedIdentity.HEADER, identity.sign(workspace, Duration.ofMinutes(5)))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      polls.incrementAndGet();
      long seen = System.nanoTime();
      if (response.statusCode() != 200) {
        return;
      }
      for (JsonNode event : JSON.readTree(response.body()).path("items")) {
        JsonNode id = event.has("event_id") ? event.get("event_id") : event.get("eventId");
        Pending probe = id == null ? null : pending.remove(id.asString());
        if (probe != null && probe.measured()) {
          freshnessMs.recordValue(TimeUnit.NANOSECONDS.toMillis(seen - probe.ackNanos()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // a failed poll is retried at the next tick; a probe never seen is counted as given up
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
