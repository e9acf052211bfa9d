package dev.beacon.loadgen.aggregator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Polls {@code GET /api/obs/events/{id}} for one acknowledged event until it is readable, and
 * records the time from the acknowledgement. Polls are scheduled from the acknowledgement (not
 * queued behind other probes, which would add their wait to the result) and sent asynchronously:
 * every 25 ms for the first 2 s (the target is 2 s), then once a second, giving up 30 s after the
 * acknowledgement. A lagging aggregator must not be slowed further by the probes themselves.
 */
final class FreshnessProbe {

  static final Duration GIVE_UP = Duration.ofSeconds(30);
  private static final long FINE_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long FINE_STEP_MS = 25;
  private static final long COARSE_STEP_MS = 1_000;

  private final HttpClient http;
  private final ScheduledExecutorService scheduler;
  private final URI uri;
  private final AtomicReference<String> token;
  private final long ackNanos;
  private final Histogram freshnessMs;
  private final AtomicLong gaveUp;

  FreshnessProbe(
      HttpClient http,
      ScheduledExecutorService scheduler,
      String aggregatorUrl,
      AtomicReference<String> token,
      UUID eventId,
      long ackNanos,
      Histogram freshnessMs,
      AtomicLong gaveUp) {
    this.http = http;
    this.scheduler = scheduler;
    this.uri = URI.create(aggregatorUrl.replaceAll("/+$", "") + "/api/obs/events/" + eventId);
    this.token = token;
    this.ackNanos = ackNanos;
    this.freshnessMs = freshnessMs;
    this.gaveUp = gaveUp;
  }

  /** Sends one poll now; schedules the next one unless the event is readable. */
  void poll() {
    http.sendAsync(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(5))
                .header(SignedIdentity.HEADER, token.get())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              long now = System.nanoTime();
              if (error == null && response.statusCode() == 200) {
                freshnessMs.recordValue(TimeUnit.NANOSECONDS.toMillis(now - ackNanos));
              } else if (now - ackNanos > GIVE_UP.toNanos()) {
                gaveUp.incrementAndGet();
              } else if (!scheduler.isShutdown()) {
                long step = now - ackNanos < FINE_NANOS ? FINE_STEP_MS : COARSE_STEP_MS;
                scheduler.schedule(this::poll, step, TimeUnit.MILLISECONDS);
              }
            });
  }
}
