package dev.beacon.loadgen.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.HdrHistogram.ConcurrentHistogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The freshness poller against a stand-in for the aggregator's event list (the JDK's HTTP server
 * answering with the true response shape): it records a probe once the list shows it, keeps waiting
 * for the ones it does not show, asks from the oldest pending probe, signs every request, and stops
 * asking when nothing is pending; a warm-up probe is asked for the same way but never recorded.
 */
class FreshnessWatcherTests {

  private final Set<String> visible = ConcurrentHashMap.newKeySet();
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/obs/events",
        exchange -> {
          Map<String, String> query =
              java.util.Arrays.stream(exchange.getRequestURI().getRawQuery().split("&"))
                  .map(pair -> pair.split("=", 2))
                  .collect(
                      Collectors.toMap(
                          pair -> pair[0],
                          pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
          query.put(
              "identity",
              String.valueOf(exchange.getRequestHeaders().getFirst("X-Beacon-Identity")));
          requests.add(query);
          String items =
              visible.stream()
                  .map(id -> "{\"event_id\":\"" + id + "\",\"type\":\"llm_call\"}")
                  .collect(Collectors.joining(","));
          byte[] body =
              ("{\"items\":[" + items + "],\"next_cursor\":null}").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void recordsEachProbeOnceTheEventListShowsItAndAsksFromTheOldestPendingOne() {
    ConcurrentHistogram freshness = new ConcurrentHistogram(3);
    AtomicLong gaveUp = new AtomicLong();
    UUID seen = UUID.randomUUID();
    UUID late = UUID.randomUUID();
    Instant lateAt = Instant.parse("2026-11-26T05:00:00Z");
    try (FreshnessWatcher watcher = watcher(freshness, gaveUp)) {
      watcher.expect(late, lateAt, System.nanoTime(), true);
      watcher.expect(seen, lateAt.plusSeconds(5), System.nanoTime(), true);
      visible.add(seen.toString());

      await().atMost(Duration.ofSeconds(10)).until(() -> freshness.getTotalCount() == 1);
      assertThat(watcher.pending()).isEqualTo(1);
      Map<String, String> first = requests.get(0);
      assertThat(first.get("from")).isEqualTo("2026-11-26T04:59:59Z");
      assertThat(first.get("limit")).isEqualTo("500");
      assertThat(first.get("identity")).isNotBlank().isNotEqualTo("null");

      visible.add(late.toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.pending() == 0);
      assertThat(freshness.getTotalCount()).isEqualTo(2);
      assertThat(gaveUp.get()).isZero();

      // nothing pending: the poller stops asking
      int asked = requests.size();
      await()
          .during(Duration.ofMillis(5 * FreshnessWatcher.POLL_MS))
          .atMost(Duration.ofSeconds(5))
          .until(() -> requests.size() <= asked + 1);
      assertThat(watcher.polls()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void pollsForAWarmUpProbeButRecordsNothingForIt() {
    ConcurrentHistogram freshness = new ConcurrentHistogram(3);
    AtomicLong gaveUp = new AtomicLong();
    UUID warmUp = UUID.randomUUID();
    UUID measured = UUID.randomUUID();
    try (FreshnessWatcher watcher = watcher(freshness, gaveUp)) {
      watcher.expect(warmUp, Instant.parse("2026-11-26T05:00:00Z"), System.nanoTime(), false);

      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.polls() >= 1);
      assertThat(requests.get(0).get("from")).isEqualTo("2026-11-26T04:59:59Z");
      visible.add(warmUp.toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.pending() == 0);
      assertThat(freshness.getTotalCount()).isZero();

      watcher.expect(measured, Instant.parse("2026-11-26T05:01:00Z"), System.nanoTime(), true);
      visible.add(measured.toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.pending() == 0);
      assertThat(freshness.getTotalCount()).isOne();
      assertThat(gaveUp.get()).isZero();
    }
  }

  /** A watcher of the stand-in's event list, given a base URL with a trailing slash to strip. */
  private FreshnessWatcher watcher(ConcurrentHistogram freshness, AtomicLong gaveUp) {
    return new FreshnessWatcher(
        HttpClient.newHttpClient(),
        "http://127.0.0.1:" + server.getAddress().getPort() + "/",
        new SignedIdentity("0123456789abcdef0123456789abcdef"),
        "probe-workspace",
        freshness,
        gaveUp);
  }
}
