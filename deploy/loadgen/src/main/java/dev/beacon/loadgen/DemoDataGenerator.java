package dev.beacon.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends 24 hours of realistic synthetic events through the public ingest API, so that a new stack
 * shows a living dashboard.
 *
 * <pre>
 * java -cp deploy/loadgen/target/loadgen.jar:$(deps) dev.beacon.loadgen.DemoDataGenerator \
 *     --url http://localhost:8084 --key bcn_… [--hours 24] [--seed 42]
 * </pre>
 *
 * <p>{@code --url} defaults to {@code BEACON_INGEST_URL}, {@code --key} to {@code
 * BEACON_INIT_API_KEY}. Batches of at most 1,000 events, gzip-encoded; 429 and 503 are retried
 * after {@code Retry-After} with the same events. The seed fixes every event id, so running it
 * again with the same seed adds nothing downstream.
 */
public final class DemoDataGenerator {

  private static final int BATCH = 1000;
  private static final int MAX_ATTEMPTS = 10;

  private DemoDataGenerator() {}

  public static void main(String[] args) throws InterruptedException {
    Options options = new Options(args);
    String url = options.get("url", "BEACON_INGEST_URL", "http://localhost:8084");
    String key = options.required("key", "BEACON_INIT_API_KEY");
    Duration span = Duration.ofHours(options.integer("hours", 24));
    long seed = Long.parseLong(options.get("seed", null, "42"));

    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    List<Map<String, Object>> events = new SyntheticEvents(seed).history(end, span);
    IngestClient client = new IngestClient(url, key, true);
    JsonMapper json = JsonMapper.builder().build();
    int accepted = 0;
    int rejected = 0;
    for (int from = 0; from < events.size(); from += BATCH) {
      List<Map<String, Object>> batch =
          new ArrayList<>(events.subList(from, Math.min(events.size(), from + BATCH)));
      byte[] body = json.writeValueAsBytes(Map.of("batch", batch));
      IngestClient.Answer answer = send(client, body);
      if (answer.status() == 200 || answer.status() == 207) {
        var counts = json.readTree(answer.body());
        accepted += counts.path("accepted").asInt();
        rejected += counts.path("rejected").asInt();
        if (answer.status() == 207) {
          System.err.println("some events were rejected: " + abbreviate(answer.body()));
        }
      } else {
        System.err.println("batch refused: " + answer.status() + " " + abbreviate(answer.body()));
        System.exit(1);
      }
    }
    System.out.printf(
        "Demo data: %d events over %d h for %d agents sent to %s: %d accepted, %d rejected%n",
        events.size(), span.toHours(), SyntheticEvents.AGENTS.size(), url, accepted, rejected);
  }

  private static IngestClient.Answer send(IngestClient client, byte[] body)
      throws InterruptedException {
    IngestClient.Answer answer = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      answer = client.post(body);
      boolean retry = answer.status() == 429 || answer.status() == 503 || answer.status() == -1;
      if (!retry) {
        return answer;
      }
      long waitSeconds = Math.max(1, Math.min(30, answer.retryAfterSeconds()));
      Thread.sleep(waitSeconds * 1000 * attempt);
    }
    return answer;
  }

  private static String abbreviate(String text) {
    return text.length() > 500 ? text.substring(0, 500) + "…" : text;
  }
}
