package dev.beacon.loadgen;

import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.tools.ProducerPerformance;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmarks the ingest API and, in the same run, Kafka's raw ceiling on the same broker.
 *
 * <pre>
 * java -cp … dev.beacon.loadgen.LoadGenerator --url http://localhost:8084 --key bcn_… \
 *     --bootstrap localhost:9092 [--connections 32] [--duration 30s] [--batch 100] [--gzip]
 * </pre>
 *
 * <p>Phases: (1) saturation — {@code --connections} workers post {@code --batch}-event batches back
 * to back for {@code --duration}; (2) half rate — the same workers paced at half the accepted rate
 * of phase 1, latency measured from each batch's scheduled start (no coordinated omission); (3) raw
 * ceiling — Kafka's own {@code ProducerPerformance} with the same event JSON as payload and the
 * ingest producer's settings ({@code acks=all}, idempotence, lz4, {@code linger.ms=5}, 64 KiB
 * batches) into a temporary 3-partition topic, deleted afterwards. Reports accepted events/s,
 * p50/p99/p99.9 batch latency, and counts of 2xx/429/503/other answers.
 */
public final class LoadGenerator {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CEILING_TOPIC = "beacon.loadgen.ceiling";

  private LoadGenerator() {}

  /** Results of one phase. */
  record PhaseResult(
      String name,
      double seconds,
      long acceptedEvents,
      Histogram latency,
      Map<String, Long> statuses) {

    double eventsPerSecond() {
      return acceptedEvents / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = new Options(args);
    String url = options.get("url", "BEACON_INGEST_URL", "http://localhost:8084");
    String key = options.required("key", "BEACON_INIT_API_KEY");
    String bootstrap = options.get("bootstrap", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    int connections = options.integer("connections", 32);
    int batchSize = options.integer("batch", 100);
    Duration duration = options.duration("duration", Duration.ofSeconds(30));
    boolean gzip = options.flag("gzip", false);
    boolean ceiling = options.flag("ceiling", true);
    // a freshly started service needs far more than a few seconds of load before its JIT settles
    // (a 5 s warm-up gave 53k instead of 151k events/s on a cold ingest)
    Duration warmup = options.duration("warmup", Duration.ofSeconds(20));
    // --rate: instead of saturation, half rate and ceiling, one phase paced at this many events/s
    double fixedRate = options.decimal("rate", 0);

    List<String> eventTemplates = eventTemplates(2000);
    int recordSize =
        (int)
            eventTemplates.stream()
                .mapToInt(e -> e.getBytes(StandardCharsets.UTF_8).length)
                .average()
                .orElse(600);
    System.out.printf(
        "Ingest benchmark: %s, %d connections, %d-event batches, %s, gzip=%s, avg event %d bytes%n",
        url, connections, batchSize, duration, gzip, recordSize);

    ensureEventTopics(bootstrap);
    Supplier<IngestConnection> connectionPerWorker = () -> new IngestConnection(url, key, gzip);
    // with --rate the warm-up is paced too, then one phase at that rate: what intake costs at an
    // ordinary load, not at its limit
    run(connectionPerWorker, eventTemplates, batchSize, connections, warmup, fixedRate, "warm-up");
    if (fixedRate > 0) {
      print(
          run(
              connectionPerWorker,
              eventTemplates,
              batchSize,
              connections,
              duration,
              fixedRate,
              "fixed rate"));
      return;
    }
    PhaseResult saturation =
        run(connectionPerWorker, eventTemplates, batchSize, connections, duration, 0, "saturation");
    print(saturation);
    double halfRate = saturation.eventsPerSecond() / 2;
    PhaseResult half =
        run(
            connectionPerWorker,
            eventTemplates,
            batchSize,
            connections,
            duration,
            halfRate,
            "half rate");
    print(half);
    if (ceiling) {
      double raw = rawCeiling(bootstrap, eventTemplates, recordSize, saturation);
      System.out.printf(
          "%nRaw Kafka ceiling (ProducerPerformance, same payloads and producer settings): %.0f records/s%n"
              + "Ingest saturation: %.0f events/s = %.0f%% of the raw ceiling%n",
          raw, saturation.eventsPerSecond(), 100 * saturation.eventsPerSecond() / raw);
    }
  }

  private static PhaseResult run(
      Supplier<IngestConnection> connectionPerWorker,
      List<String> templates,
      int batchSize,
      int connections,
      Duration duration,
      double targetEventsPerSecond,
      String name)
      throws InterruptedException {
    Recorder latencies = new Recorder(3);
    LongAdder accepted = new LongAdder();
    ConcurrentMap<String, LongAdder> statuses = new ConcurrentHashMap<>();
    long startNanos = System.nanoTime();
    long endNanos = startNanos + duration.toNanos();
    long intervalNanos =
        targetEventsPerSecond > 0
            ? (long) (1e9 * batchSize * connections / targetEventsPerSecond)
            : 0;
    AtomicLong seq = new AtomicLong();
    CountDownLatch done = new CountDownLatch(connections);
    for (int c = 0; c < connections; c++) {
      int worker = c;
      Thread thread =
          new Thread(
              () -> {
                try (IngestConnection client = connectionPerWorker.get()) {
                  long next = startNanos + (intervalNanos * worker) / Math.max(1, connections);
                  while (true) {
                    long now = System.nanoTime();
                    if (intervalNanos > 0) {
                      if (next > now) {
                        java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                      }
                    } else {
                      next = now;
                    }
                    if (next >= endNanos) {
                      break;
                    }
                    byte[] body = batch(templates, batchSize, seq.getAndIncrement());
                    IngestClient.Answer answer = client.post(body);
                    long finished = System.nanoTime();
                    latencies.recordValue(Math.max(1, (finished - next) / 1000));
                    String status =
                        answer.status() == -1 ? "io-error" : Integer.toString(answer.status());
                    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    if (answer.status() == 200) {
                      accepted.add(batchSize);
                    } else if (answer.status() == 207) {
                      accepted.add(JSON.readTree(answer.body()).path("accepted").asLong());
                    }
                    next += intervalNanos;
                  }
                } finally {
                  done.countDown();
                }
              },
              "loadgen-" + c);
      thread.setDaemon(true);
      thread.start();
    }
    done.await();
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Long> counts = new java.util.TreeMap<>();
    statuses.forEach((status, count) -> counts.put(status, count.sum()));
    return new PhaseResult(name, seconds, accepted.sum(), latencies.getIntervalHistogram(), counts);
  }

  private static void print(PhaseResult result) {
    Histogram h = result.latency();
    System.out.printf(
        "%-10s %6.1f s  accepted %,10d events  %,9.0f events/s  batch latency p50 %6.1f ms  p99 %6.1f ms"
            + "  p99.9 %6.1f ms  max %6.1f ms  answers %s%n",
        result.name(),
        result.seconds(),
        result.acceptedEvents(),
        result.eventsPerSecond(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        result.statuses());
  }

  /**
   * Batches of fresh events: each request gets new event ids, so nothing is deduplicated. Ids come
   * from {@link ThreadLocalRandom}, not {@code UUID.randomUUID()}, to keep the generator's own CPU
   * use small on a machine it shares with the service.
   */
  private static byte[] batch(List<String> templates, int batchSize, long sequence) {
    StringBuilder body = new StringBuilder(batchSize * 400).append("{\"batch\":[");
    String now = Instant.now().toString();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < batchSize; i++) {
      if (i > 0) {
        body.append(',');
      }
      String template = templates.get((int) ((sequence * batchSize + i) % templates.size()));
      int id = template.indexOf("$ID");
      int at = template.indexOf("$AT");
      UUID uuid =
          new UUID(
              random.nextLong() & ~0xf000L | 0x4000L,
              random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L);
      body.append(template, 0, id)
          .append(uuid)
          .append(template, id + 3, at)
          .append(now)
          .append(template, at + 3, template.length());
    }
    return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Realistic event JSON with {@code $ID} and {@code $AT} placeholders. */
  private static List<String> eventTemplates(int count) {
    SyntheticEvents synthetic = new SyntheticEvents(7);
    List<String> templates = new ArrayList<>();
    Instant at = Instant.now();
    while (templates.size() < count) {
      for (SyntheticEvents.Agent agent : SyntheticEvents.AGENTS) {
        for (Map<String, Object> event : synthetic.run(agent, at, false, 1.0)) {
          Map<String, Object> copy = new java.util.LinkedHashMap<>(event);
          copy.put("event_id", "$ID");
          copy.put("occurred_at", "$AT");
          templates.add(JSON.writeValueAsString(copy));
        }
      }
    }
    return templates.subList(0, count);
  }

  /**
   * Creates the event topics with 3 partitions, like the local stack does, where they are missing
   * (for a broker with auto-creation, whose default is one partition).
   */
  private static void ensureEventTopics(String bootstrap) throws Exception {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(config)) {
      java.util.Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          Topics.eventTopics().stream()
              .map(Topic::name)
              .filter(name -> !existing.contains(name))
              .map(name -> new NewTopic(name, 3, (short) 1))
              .toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
    }
  }

  private static double rawCeiling(
      String bootstrap, List<String> templates, int recordSize, PhaseResult saturation)
      throws Exception {
    Path payloads = Files.createTempFile("loadgen-payloads", ".jsonl");
    StringBuilder lines = new StringBuilder();
    for (String template : templates) {
      lines
          .append(
              template
                  .replace("$ID", UUID.randomUUID().toString())
                  .replace("$AT", Instant.now().toString()))
          .append('\n');
    }
    Files.writeString(payloads, lines);
    Properties adminConfig = new Properties();
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    long records = Math.max(300_000, (long) (saturation.eventsPerSecond() * 20));
    try (Admin admin = Admin.create(adminConfig)) {
      admin.createTopics(List.of(new NewTopic(CEILING_TOPIC, 3, (short) 1))).all().get();
      try {
        String[] args = {
          "--topic",
          CEILING_TOPIC,
          "--num-records",
          Long.toString(records),
          "--throughput",
          "-1",
          "--payload-file",
          payloads.toString(),
          "--producer-props",
          "bootstrap.servers=" + bootstrap,
          "acks=all",
          "enable.idempotence=true",
          "compression.type=lz4",
          "linger.ms=5",
          "batch.size=65536",
        };
        System.out.printf("%nRaw ceiling: ProducerPerformance %s%n", String.join(" ", args));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
          ProducerPerformance.main(args);
        } finally {
          System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        String[] outputLines = output.strip().split("\n");
        String summary = outputLines[outputLines.length - 1];
        System.out.println("  " + summary);
        Matcher matcher = Pattern.compile("([0-9.]+) records/sec").matcher(summary);
        if (!matcher.find()) {
          throw new IllegalStateException("unexpected ProducerPerformance output: " + summary);
        }
        return Double.parseDouble(matcher.group(1));
      } finally {
        admin.deleteTopics(List.of(CEILING_TOPIC)).all().get();
        Files.deleteIfExists(payloads);
      }
    } catch (IOException e) {
      throw e;
    }
  }
}
