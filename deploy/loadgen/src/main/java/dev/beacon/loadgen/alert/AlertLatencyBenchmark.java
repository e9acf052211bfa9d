package dev.beacon.loadgen.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Histogram;

/**
 * Measures the time from the ingest API's acknowledgement of the event that breaches a rule to the
 * Slack webhook receiving the alert, at steady ingest load with many active rules.
 *
 * <pre>
 * java -cp … dev.beacon.loadgen.alert.AlertLatencyBenchmark --ingest http://127.0.0.1:8084 \
 *     --alert http://127.0.0.1:8086 --secret "$BEACON_IDENTITY_SECRET" --webhook-port 39999 \
 *     [--workspaces 100] [--rules-per-workspace 10] [--rate 200] [--breaches 200] [--breach-interval-ms 500]
 * </pre>
 *
 * <p>Set-up: for each of {@code --workspaces} workspaces it signs an owner identity (as the gateway
 * does, with the stack's identity secret), creates an ingest API key and {@code
 * --rules-per-workspace} rules ({@code calls >= 1} over 5 minutes for agent {@code breach-<j>},
 * each with its own webhook on this process's HTTP server playing Slack). The alert service must
 * accept that server: start it with {@code
 * BEACON_ALERT_SLACK_ALLOWED_URL_PREFIXES=http://127.0.0.1:<webhook-port>/}. Its workspaces have no
 * plan, so they get the Free plan's rule limit: start the alert service with {@code
 * BEACON_ALERT_FREE_ALERT_RULES} at least {@code --rules-per-workspace} too.
 *
 * <p>Run: a steady load of {@code --rate} events/s (agents {@code steady-*}, spread over all
 * workspaces, so every workspace's rules are evaluated on every batch) and, every {@code
 * --breach-interval-ms}, one event for a rule's breach agent. The clock starts when ingest answers
 * 200 for that event and stops when the webhook receives that rule's message. Prints
 * p50/p90/p99/max and how many alerts arrived.
 */
public final class AlertLatencyBenchmark {

  private static final Pattern HOOK = Pattern.compile("/services/([a-z0-9]+W\\d+)/(R\\d+)/.*");

  private final Map<String, String> options;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Long> acknowledgedNanos = new ConcurrentHashMap<>();
  private final Map<String, Long> receivedNanos = new ConcurrentHashMap<>();
  private final AtomicLong steadyAccepted = new AtomicLong();
  private final AtomicLong steadyFailed = new AtomicLong();

  private AlertLatencyBenchmark(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new AlertLatencyBenchmark(options).run();
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  private void run() throws Exception {
    String ingest = option("ingest", "http://127.0.0.1:8084");
    String alert = option("alert", "http://127.0.0.1:8086");
    String secret = option("secret", System.getenv("BEACON_IDENTITY_SECRET"));
    if (secret == null || secret.length() < 32) {
      throw new IllegalArgumentException(
          "--secret (or BEACON_IDENTITY_SECRET) of >= 32 bytes is required");
    }
    int port = Integer.parseInt(option("webhook-port", "39999"));
    int workspaces = Integer.parseInt(option("workspaces", "100"));
    int rulesPerWorkspace = Integer.parseInt(option("rules-per-workspace", "10"));
    int rate = Integer.parseInt(option("rate", "200"));
    int breaches =
        Math.min(Integer.parseInt(option("breaches", "200")), workspaces * rulesPerWorkspace);
    Duration interval = Duration.ofMillis(Long.parseLong(option("breach-interval-ms", "500")));
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6);

    HttpServer slack = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
    slack.createContext(
        "/services/",
        exchange -> {
          long now = System.nanoTime();
          String text;
          try (InputStream body = exchange.getRequestBody()) {
            text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
          }
          Matcher m = HOOK.matcher(exchange.getRequestURI().getPath());
          if (m.matches() && text.contains("[CRITICAL]")) {
            receivedNanos.putIfAbsent(m.group(1) + "/" + m.group(2), now);
          }
          byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    slack.setExecutor(Executors.newFixedThreadPool(8));
    slack.start();
    System.out.printf("Slack stand-in on http://127.0.0.1:%d/services/…%n", port);

    Instant setupStarted = Instant.now();
    List<String> workspaceIds = new ArrayList<>();
    Map<String, String> apiKeys = new HashMap<>();
    for (int w = 0; w < workspaces; w++) {
      String ws = "ws_alertbench_" + run + "_" + w;
      workspaceIds.add(ws);
      String identity = sign(secret, ws);
      apiKeys.put(ws, createApiKey(ingest, identity));
      for (int r = 0; r < rulesPerWorkspace; r++) {
        createRule(
            alert,
            identity,
            "http://127.0.0.1:" + port + "/services/" + run + "W" + w + "/R" + r + "/x",
            r);
      }
    }
    System.out.printf(
        "Set up %d workspaces, %d rules in %d s%n",
        workspaces,
        workspaces * rulesPerWorkspace,
        Duration.between(setupStarted, Instant.now()).toSeconds());

    ScheduledExecutorService steady = Executors.newScheduledThreadPool(4);
    int batchesPerSecond = Math.max(1, Math.min(rate, 50));
    int eventsPerBatch = Math.max(1, rate / batchesPerSecond);
    AtomicLong next = new AtomicLong();
    int senders = 4;
    long steadyStarted = System.nanoTime();
    for (int sender = 0; sender < senders; sender++) {
      steady.scheduleAtFixedRate(
          () -> {
            String ws = workspaceIds.get((int) (next.getAndIncrement() % workspaceIds.size()));
            int status =
                postEvents(ingest, apiKeys.get(ws), "steady-" + (next.get() % 20), eventsPerBatch);
            if (status == 200) {
              steadyAccepted.addAndGet(eventsPerBatch);
            } else {
              steadyFailed.addAndGet(eventsPerBatch);
            }
          },
          sender * 1_000_000L / batchesPerSecond,
          senders * 1_000_000L / batchesPerSecond,
          TimeUnit.MICROSECONDS);
    }
    System.out.printf(
        "Steady load: %d events/s (%d/s batches of %d)%n",
        batchesPerSecond * eventsPerBatch, batchesPerSecond, eventsPerBatch);
    Thread.sleep(5_000);

    for (int b = 0; b < breaches; b++) {
      int w = b % workspaces;
      int r = (b / workspaces) % rulesPerWorkspace;
      String ws = workspaceIds.get(w);
      int status = postEvents(ingest, apiKeys.get(ws), "breach-" + r, 1);
      long acked = System.nanoTime();
      if (status == 200) {
        acknowledgedNanos.put(run + "W" + w + "/R" + r, acked);
      } else {
        System.out.printf("breach event %d answered %d%n", b, status);
      }
      Thread.sleep(interval.toMillis());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline
        && !receivedNanos.keySet().containsAll(acknowledgedNanos.keySet())) {
      Thread.sleep(100);
    }
    steady.shutdownNow();
    double steadySeconds = (System.nanoTime() - steadyStarted) / 1e9;
    slack.stop(0);
    ((java.util.concurrent.ExecutorService) slack.getExecutor()).shutdownNow();

    Histogram latency = new Histogram(3_600_000L, 3);
    int missing = 0;
    for (Map.Entry<String, Long> acked : acknowledgedNanos.entrySet()) {
      Long received = receivedNanos.get(acked.getKey());
      if (received == null) {
        missing++;
      } else {
        latency.recordValue(Math.max(0, (received - acked.getValue()) / 1_000_000));
      }
    }
    System.out.printf(
        "alert latency (ingest ack -> webhook): alerts=%d missing=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms"
            + " | rules=%d workspaces=%d steady_events_accepted=%d (%.0f/s) steady_failed=%d%n",
        latency.getTotalCount(),
        missing,
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(90),
        latency.getValueAtPercentile(99),
        latency.getMaxValue(),
        workspaces * rulesPerWorkspace,
        workspaces,
        steadyAccepted.get(),
        steadyAccepted.get() / steadySeconds,
        steadyFailed.get());
  }

  private int postEvents(String ingest, String apiKey, String agent, int count) {
    StringBuilder batch = new StringBuilder("{\"batch\": [");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        batch.append(',');
      }
      batch.append(
          """
          {"event_id": "%s", "type": "tool_call", "occurred_at": "%s", "agent_id": "%s",
           "status": "ok", "duration_ms": 42, "tool": {"name": "search"}}
          """
              .formatted(UUID.randomUUID(), Instant.now(), agent));
    }
    batch.append("]}");
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(ingest + "/api/obs/v1/events"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + apiKey)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(batch.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String createApiKey(String ingest, String identity) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(ingest + "/api/obs/keys"))
                .header("X-Beacon-Identity", identity)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"alert benchmark\", \"scopes\": [\"ingest\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher secret = Pattern.compile("\"secret\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
    if (response.statusCode() != 201 || !secret.find()) {
      throw new IllegalStateException("creating an API key answered " + response.statusCode());
    }
    return secret.group(1);
  }

  private void createRule(String alert, String identity, String webhook, int index)
      throws Exception {
    String rule =
        """
        {"name": "bench rule %d", "metric": "calls", "window": "5m", "comparator": "gte",
         "critical_threshold": "1", "filters": {"agent": "breach-%d"}, "renotify_minutes": 0,
         "cooldown_minutes": 0, "channels": [{"type": "slack", "webhook_url": "%s"}]}
        """
            .formatted(index, index, webhook);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(alert + "/api/obs/alerts/rules"))
                .header("X-Beacon-Identity", identity)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rule))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "creating a rule answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** An owner identity for the workspace, signed like the gateway's (HS256, 10 minutes). */
  static String sign(String secret, String workspaceId) {
    Instant now = Instant.now();
    String header = base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    String claims =
        base64(
            "{\"iss\":\"beacon-gateway\",\"aud\":[\"beacon-services\"],\"sub\":\"alert-bench\","
                + "\"wid\":\""
                + workspaceId
                + "\",\"role\":\"owner\",\"iat\":"
                + now.getEpochSecond()
                + ",\"exp\":"
                + now.plusSeconds(600).getEpochSecond()
                + ",\"jti\":\""
                + UUID.randomUUID()
                + "\"}");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String input = header + "." + claims;
      return input
          + "."
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
