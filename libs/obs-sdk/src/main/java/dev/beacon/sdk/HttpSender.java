package dev.beacon.sdk;

import dev.beacon.events.ObsEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Sends batches to the ingest API: {@code POST /api/obs/v1/events} with {@code {"batch": [...]}},
 * retrying 429, 503, other 5xx and network errors with the same {@code event_id}s, honouring {@code
 * Retry-After}, and giving up on answers that a retry cannot change.
 */
final class HttpSender implements Sender {

  static final String EVENTS_PATH = "/api/obs/v1/events";
  static final int MAX_BODY_BYTES = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(HttpSender.class);

  private final URI endpoint;
  private final String authorization;
  private final boolean gzip;
  private final Duration requestTimeout;
  private final ClientSettings settings;
  private final Counters counters;
  private final HttpClient httpClient;

  HttpSender(
      URI baseUri,
      String apiKey,
      boolean gzip,
      Duration requestTimeout,
      ClientSettings settings,
      Counters counters) {
    String base = baseUri.toString();
    this.endpoint =
        URI.create(
            (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + EVENTS_PATH);
    this.authorization = "Bearer " + apiKey;
    this.gzip = gzip;
    this.requestTimeout = requestTimeout;
    this.settings = settings;
    this.counters = counters;
    this.httpClient =
        HttpClient.newBuilder()
            .connectTimeout(requestTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public void send(List<ObsEvent> batch) throws InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    byte[] body;
    try {
      body = encode(batch);
    } catch (RuntimeException e) {
      settings.warnOnce(log, "encode", "Beacon SDK could not serialise a batch, dropping it", e);
      counters.droppedUndeliverable.add(batch.size());
      return;
    }
    if (body.length > MAX_BODY_BYTES) {
      if (split(batch)) {
        return;
      }
      settings.warnOnce(
          log, "too-large", "Beacon SDK dropped an event larger than the 1 MiB request limit");
      counters.droppedUndeliverable.add(batch.size());
      return;
    }
    deliver(batch, body);
  }

  private boolean split(List<ObsEvent> batch) throws InterruptedException {
    if (batch.size() < 2) {
      return false;
    }
    int half = batch.size() / 2;
    try {
      send(batch.subList(0, half));
    } catch (InterruptedException e) {
      counters.droppedUndeliverable.add(batch.size() - half);
      throw e;
    }
    send(batch.subList(half, batch.size()));
    return true;
  }

  private void deliver(List<ObsEvent> batch, byte[] body) throws InterruptedException {
    RetryPolicy policy = settings.retryPolicy();
    for (int attempt = 1; ; attempt++) {
      long delayMillis;
      try {
        HttpResponse<String> response = exchange(body, batch.size());
        int status = response.statusCode();
        if (status == 200 || status == 201 || status == 202 || status == 204) {
          counters.delivered.add(batch.size());
          return;
        }
        if (status == 207) {
          countResults(batch, response.body());
          return;
        }
        if (status == 413) {
          // with per-event results every event was too large; without, halves may fit the cap
          if (countAllRejected(batch, response.body()) || split(batch)) {
            return;
          }
        }
        if (status == 401 || status == 403) {
          settings.warnOnce(
              log,
              "auth-" + status,
              "Beacon ingest refused the API key ({} {}); dropping events until the key works",
              status,
              response.body());
          counters.droppedUndeliverable.add(batch.size());
          return;
        }
        if (status == 429 || status == 503 || status == 408 || status >= 500) {
          long retryAfter = retryAfterSeconds(response);
          delayMillis =
              retryAfter > 0 ? policy.retryAfterMillis(retryAfter) : policy.backoffMillis(attempt);
          settings.warnOnce(
              log,
              "retry-" + status,
              "Beacon ingest answered {}; retrying the batch with the same event ids",
              status);
        } else {
          if (!countAllRejected(batch, response.body())) {
            settings.warnOnce(
                log,
                "refused-" + status,
                "Beacon ingest refused a batch ({} {}); dropping it",
                status,
                response.body());
            counters.droppedUndeliverable.add(batch.size());
          }
          return;
        }
      } catch (IOException e) {
        delayMillis = policy.backoffMillis(attempt);
        settings.warnOnce(
            log,
            "network",
            "Beacon ingest unreachable at {}: {}; retrying",
            endpoint,
            e.toString());
      } catch (RuntimeException e) {
        settings.warnOnce(log, "http-bug", "Beacon SDK could not send a batch, dropping it", e);
        counters.droppedUndeliverable.add(batch.size());
        return;
      }
      if (attempt >= policy.maxAttempts()) {
        settings.warnOnce(
            log,
            "exhausted",
            "Beacon SDK gave up on a batch of {} events after {} attempts",
            batch.size(),
            attempt);
        counters.droppedUndeliverable.add(batch.size());
        return;
      }
      counters.retries.increment();
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        counters.droppedUndeliverable.add(batch.size());
        throw e;
      }
    }
  }

  private HttpResponse<String> exchange(byte[] body, int events)
      throws IOException, InterruptedException {
    try {
      return httpClient.send(request(body), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      counters.droppedUndeliverable.add(events);
      throw e;
    }
  }

  private HttpRequest request(byte[] body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(requestTimeout)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .header("User-Agent", "beacon-java-sdk")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      builder.header("Content-Encoding", "gzip");
    }
    return builder.build();
  }

  private byte[] encode(List<ObsEvent> batch) {
    byte[] json = settings.jsonMapper().writeValueAsBytes(Map.of("batch", batch));
    if (!gzip) {
      return json;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
    try (GZIPOutputStream gzipOut = new GZIPOutputStream(out)) {
      gzipOut.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Counts a 207's per-event results; events without a result count as delivered. */
  private void countResults(List<ObsEvent> batch, String body) {
    int rejected = rejectedCount(body);
    if (rejected < 0) {
      counters.delivered.add(batch.size());
      return;
    }
    counters.rejected.add(rejected);
    counters.delivered.add(batch.size() - rejected);
  }

  /** A 4xx that carries per-event results rejected every event; count them as rejected. */
  private boolean countAllRejected(List<ObsEvent> batch, String body) {
    int rejected = rejectedCount(body);
    if (rejected <= 0) {
      return false;
    }
    counters.rejected.add(batch.size());
    return true;
  }

  private int rejectedCount(String body) {
    try {
      JsonNode results = settings.jsonMapper().readTree(body).path("results");
      if (!results.isArray()) {
        return -1;
      }
      int rejected = 0;
      for (JsonNode result : results) {
        if ("rejected".equals(result.path("status").asString(""))) {
          rejected++;
          settings.warnOnce(
              log,
              "rejected-" + result.path("code").asString(""),
              "Beacon ingest rejected event {}: {} {}",
              result.path("event_id").asString(""),
              result.path("code").asString(""),
              result.path("message").asString(""));
        }
      }
      return rejected;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static long retryAfterSeconds(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(
            value -> {
              try {
                return Long.parseLong(value.trim());
              } catch (NumberFormatException e) {
                return 0L;
              }
            })
        .orElse(0L);
  }

  @Override
  public void flush() {
    // send() returns only when the batch is delivered or given up
  }

  @Override
  public void close() {
    // java.net.http.HttpClient (Java 17) has no close; its idle threads end on their own
  }
}
