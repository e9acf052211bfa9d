package dev.beacon.loadgen.aggregator;

import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import dev.beacon.loadgen.IngestConnection;
import dev.beacon.loadgen.Options;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.HdrHistogram.ConcurrentHistogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.postgresql.PGConnection;

/**
 * Drives obs-aggregator-service through the ingest API at a fixed offered rate and measures, in one
 * run:
 *
 * <ol>
 *   <li>whether the aggregator keeps up: its consumer group's lag on the event topics, read with
 *       Kafka's AdminClient every 5 s, must stay flat (slope reported);
 *   <li>freshness: {@code --probes} one-event requests per second into a workspace of their own
 *       (its ingest key is created at the start), timed from ingest's 2xx to the event showing in
 *       that workspace's {@code GET /api/obs/events} on the aggregator, which one poller asks for
 *       all pending probes every 50 ms ({@link FreshnessWatcher}), up to 30 s;
 *   <li>the raw ceiling: PostgreSQL COPY of as many rows of the same shape into a scratch copy of
 *       {@code obs.events} (same columns and indexes; not partitioned), dropped afterwards.
 * </ol>
 *
 * <pre>
 * java -cp … dev.beacon.loadgen.aggregator.AggregatorThroughputBenchmark \
 *   --ingest-url http://localhost:8084 --aggregator-url http://localhost:8085 --key bcn_… \
 *   --identity-secret … --bootstrap localhost:9092 \
 *   --db jdbc:postgresql://localhost:5432/beacon --db-user beacon --db-password beacon \
 *   [--rate 10000] [--duration 5m] [--warmup 3m] [--connections 16] [--batch 100] [--probes 5]
 * </pre>
 */
public final class AggregatorThroughputBenchmark {

  static final String GROUP = "obs-aggregator-service";
  static final String[] MODELS = {
    "openai/gpt-4o", "openai/gpt-4o-mini", "anthropic/claude-sonnet-4-5", "google/gemini-2.5-flash"
  };

  private AggregatorThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = new Options(args);
    String ingestUrl = options.get("ingest-url", "BEACON_INGEST_URL", "http://localhost:8084");
    String aggregatorUrl =
        options.get("aggregator-url", "BEACON_AGGREGATOR_URL", "http://localhost:8085");
    String key = options.required("key", "BEACON_INIT_API_KEY");
    SignedIdentity identity =
        new SignedIdentity(options.required("identity-secret", "BEACON_IDENTITY_SECRET"));
    String bootstrap = options.get("bootstrap", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    String db = options.get("db", "BEACON_DB_JDBC_URL", "jdbc:postgresql://localhost:5432/beacon");
    String dbUser = options.get("db-user", "BEACON_DB_USER", "beacon");
    String dbPassword = options.get("db-password", "BEACON_DB_PASSWORD", "beacon");
    int rate = options.integer("rate", 10_000);
    Duration duration = options.duration("duration", Duration.ofMinutes(5));
    int connections = options.integer("connections", 16);
    int batch = options.integer("batch", 100);
    // each probe polls the read API until its event shows: few probes, and slower polling once a
    // probe is past the target, so that the measuring does not load the service being measured
    int probesPerSecond = options.integer("probes", 5);
    // on two shared cores a new stack needs about three minutes at 10,000 events/s before its
    // JIT-compiled paths settle: ingest's CPU per event falls by more than half over that time
    // (docs/benchmarks.md, "Per-hour rollups")
    Duration warmup = options.duration("warmup", Duration.ofMinutes(3));

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    URI ingest = URI.create(ingestUrl.replaceAll("/+$", "") + "/api/obs/v1/events");
    // one plain keep-alive socket per worker: the generator shares the cores it measures
    ThreadLocal<IngestConnection> socket =
        ThreadLocal.withInitial(() -> new IngestConnection(ingestUrl, key, false));

    String workspace;
    try (Connection connection = DriverManager.getConnection(db, dbUser, dbPassword)) {
      workspace = discoverWorkspace(http, ingest, key, connection);
    }
    System.out.printf(
        "Aggregator benchmark: offered %d events/s for %s, %d connections x %d-event batches,"
            + " workspace %s%n",
        rate, duration, connections, batch, workspace);

    ConcurrentHistogram freshnessMs = new ConcurrentHistogram(3);
    AtomicLong probesGaveUp = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    // freshness probes: one-event requests into a workspace of their own (see FreshnessWatcher)
    String probeWorkspace = "freshness-" + UUID.randomUUID();
    String probeKey = createIngestKey(http, ingestUrl, identity, probeWorkspace);
    ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor();

    Admin admin = Admin.create(adminConfig(bootstrap));
    long intervalNanos = (long) (1e9 * batch * connections / rate);
    // the probes run through the warm-up too, unmeasured: the aggregator's read path starts cold
    // otherwise, and compiling it at the start of the drive made a backlog of its own
    AtomicBoolean measuring = new AtomicBoolean();
    FreshnessWatcher watcher =
        new FreshnessWatcher(
            http, aggregatorUrl, identity, probeWorkspace, freshnessMs, probesGaveUp);
    IngestConnection probeConnection = new IngestConnection(ingestUrl, probeKey, false);
    probes.scheduleAtFixedRate(
        () -> {
          List<UUID> ids = new ArrayList<>(1);
          Instant occurredAt = Instant.now();
          boolean measured = measuring.get();
          if (probeConnection.postForStatus(batchJson(1, ids)) / 100 == 2) {
            watcher.expect(ids.get(0), occurredAt, System.nanoTime(), measured);
          }
        },
        0,
        1_000_000 / Math.max(1, probesPerSecond),
        TimeUnit.MICROSECONDS);
    if (!warmup.isZero()) {
      // JIT compilation and cold caches (JVM, PostgreSQL buffers) are not what this measures
      System.out.printf("warm-up: %s at the offered rate, then until the lag is drained%n", warmup);
      drive(
          connections,
          intervalNanos,
          Instant.now().plus(warmup),
          () -> socket.get().postForStatus(batchJson(batch, new ArrayList<>(batch))));
      System.out.printf("warm-up drained in %.1f s%n", drain(admin));
    }
    long storedBefore;
    try (Connection connection = DriverManager.getConnection(db, dbUser, dbPassword)) {
      storedBefore = stored(connection, workspace);
    }
    List<long[]> lagSamples = new ArrayList<>();
    long pollsBefore = watcher.polls();
    measuring.set(true);
    Instant start = Instant.now();
    Instant end = start.plus(duration);
    Thread lagSampler =
        thread(
            true,
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  long lag = lag(admin);
                  long at = Duration.between(start, Instant.now()).toMillis();
                  synchronized (lagSamples) {
                    lagSamples.add(new long[] {at, lag});
                  }
                  System.out.printf(
                      "  t=%5.1fs lag=%,d accepted=%,d%n", at / 1000.0, lag, accepted.get());
                  Thread.sleep(5_000);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  System.err.println("lag sample failed: " + e);
                }
              }
            });

    drive(
        connections,
        intervalNanos,
        end,
        () -> {
          int status = socket.get().postForStatus(batchJson(batch, new ArrayList<>(batch)));
          if (status / 100 == 2) {
            accepted.addAndGet(batch);
          } else {
            refused.addAndGet(batch);
          }
        });
    probes.shutdownNow();
    probes.awaitTermination(10, TimeUnit.SECONDS);
    double driveSeconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    long lagAtEnd = lag(admin);
    double drainSeconds = drain(admin);
    lagSampler.interrupt();
    // let the probes still pending be seen (each gives up 30 s after its acknowledgement)
    Instant probesDeadline = Instant.now().plus(FreshnessWatcher.GIVE_UP);
    while (watcher.pending() > 0 && Instant.now().isBefore(probesDeadline)) {
      Thread.sleep(FreshnessWatcher.POLL_MS);
    }
    watcher.close();
    probeConnection.close();
    admin.close();

    long storedAfter;
    double copyRowsPerSecond;
    long copyRows = Math.min(accepted.get(), 2_000_000L);
    try (Connection connection = DriverManager.getConnection(db, dbUser, dbPassword)) {
      storedAfter = stored(connection, workspace);
      copyRowsPerSecond = copyCeiling(connection, copyRows);
    }

    double slope;
    long driveMillis = (long) (driveSeconds * 1000);
    synchronized (lagSamples) {
      slope = slope(lagSamples.stream().filter(sample -> sample[0] <= driveMillis).toList());
    }
    System.out.println();
    System.out.printf("offered            %,d events/s for %.1f s%n", rate, driveSeconds);
    System.out.printf(
        "accepted by ingest %,.0f events/s (%,d events; %,d refused)%n",
        accepted.get() / driveSeconds, accepted.get(), refused.get());
    System.out.printf(
        "stored             %,d events of the drive (%,.0f events/s over drive + drain; %s)%n",
        storedAfter - storedBefore,
        (storedAfter - storedBefore) / (driveSeconds + drainSeconds),
        storedAfter - storedBefore == accepted.get()
            ? "= accepted"
            : String.format("%+,d against accepted", storedAfter - storedBefore - accepted.get()));
    System.out.printf(
        "consumer lag       at end of drive %,d; slope during the drive %+.1f events/s; drained"
            + " in %.1f s -> %s%n",
        lagAtEnd, slope, drainSeconds, verdict(slope, lagAtEnd, rate));
    System.out.printf(
        "freshness          ack -> readable: p50 %d ms, p99 %d ms, max %d ms (%d probes, %d timed"
            + " out; %d polls of the event list, every %d ms)%n",
        freshnessMs.getValueAtPercentile(50),
        freshnessMs.getValueAtPercentile(99),
        freshnessMs.getMaxValue(),
        freshnessMs.getTotalCount(),
        probesGaveUp.get(),
        watcher.polls() - pollsBefore,
        FreshnessWatcher.POLL_MS);
    System.out.printf(
        "raw ceiling        PostgreSQL COPY into a scratch copy of obs.events: %,.0f rows/s (%,d"
            + " rows)%n",
        copyRowsPerSecond, copyRows);
    System.exit(0);
  }

  private static Thread thread(boolean daemon, Runnable body) {
    Thread thread = new Thread(body);
    thread.setDaemon(daemon);
    thread.start();
    return thread;
  }

  /** Sends one event and reads its workspace back from the log. */
  private static String discoverWorkspace(
      HttpClient http, URI ingest, String key, Connection connection) throws Exception {
    List<UUID> ids = new ArrayList<>();
    int status = post(http, ingest, key, batchJson(1, ids));
    if (status / 100 != 2) {
      throw new IllegalStateException("ingest refused the first event: HTTP " + status);
    }
    Instant deadline = Instant.now().plusSeconds(60);
    try (PreparedStatement query =
        connection.prepareStatement("SELECT workspace_id FROM obs.event_ids WHERE event_id = ?")) {
      query.setObject(1, ids.get(0));
      while (Instant.now().isBefore(deadline)) {
        try (ResultSet row = query.executeQuery()) {
          if (row.next()) {
            return row.getString(1);
          }
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the first event did not reach obs.event_ids within 60 s");
  }

  private static long stored(Connection connection, String workspace) throws Exception {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT count(*) FROM obs.event_ids WHERE workspace_id = ?")) {
      query.setString(1, workspace);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  static byte[] batchJson(int size, List<UUID> ids) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
    StringBuilder body = new StringBuilder(size * 420).append("{\"batch\":[");
    for (int i = 0; i < size; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      String[] model = MODELS[random.nextInt(MODELS.length)].split("/");
      long input = 200 + random.nextInt(3000);
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"event_id\":\"")
          .append(id)
          .append("\",\"type\":\"llm_call\",\"occurred_at\":\"")
          .append(now)
          .append("\",\"agent_id\":\"bench-agent-")
          .append(random.nextInt(50))
          .append("\",\"status\":\"ok\",\"duration_ms\":")
          .append(100 + random.nextInt(3000))
          .append(",\"llm\":{\"provider\":\"")
          .append(model[0])
          .append("\",\"model\":\"")
          .append(model[1])
          .append("\",\"input_tokens\":")
          .append(input)
          .append(",\"output_tokens\":")
          .append(50 + random.nextInt(800))
          .append(",\"cached_input_tokens\":")
          .append(input / 4)
          .append(",\"reasoning_tokens\":0},\"metadata\":{\"bench\":\"aggregator\"},")
          .append("\"tags\":[\"bench\"]}");
    }
    return body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Creates an ingest key in {@code workspace} through ingest's key API; returns its secret. */
  private static String createIngestKey(
      HttpClient http, String ingestUrl, SignedIdentity identity, String workspace)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(ingestUrl.replaceAll("/+$", "") + "/api/obs/keys"))
                .timeout(Duration.ofSeconds(30))
                .header(SignedIdentity.HEADER, identity.sign(workspace, Duration.ofMinutes(5)))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"freshness probes\",\"scopes\":[\"ingest\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "ingest refused to create the probe key: HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    return tools.jackson.databind.json.JsonMapper.builder()
        .build()
        .readTree(response.body())
        .get("secret")
        .asString();
  }

  private static int post(HttpClient http, URI ingest, String key, byte[] body) {
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(ingest)
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Posts batches from {@code connections} threads, each paced to one batch per {@code
   * intervalNanos} (staggered), until {@code end}.
   */
  private static void drive(int connections, long intervalNanos, Instant end, Runnable sendBatch)
      throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < connections; w++) {
      long offset = intervalNanos * w / connections;
      workers.add(
          thread(
              false,
              () -> {
                long next = System.nanoTime() + offset;
                while (Instant.now().isBefore(end)) {
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  next += intervalNanos;
                  sendBatch.run();
                }
              }));
    }
    for (Thread worker : workers) {
      worker.join();
    }
  }

  /** Waits (up to 2 minutes) until the group's lag is 0; returns the seconds it took. */
  private static double drain(Admin admin) throws Exception {
    Instant drainStart = Instant.now();
    while (lag(admin) > 0 && Duration.between(drainStart, Instant.now()).toSeconds() < 120) {
      Thread.sleep(200);
    }
    return Duration.between(drainStart, Instant.now()).toMillis() / 1000.0;
  }

  private static Properties adminConfig(String bootstrap) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "loadgen-aggregator-lag");
    return config;
  }

  /** Sum over the event topics' partitions of end offset minus the group's committed offset. */
  static long lag(Admin admin) throws Exception {
    Set<String> topics = Topics.eventTopics().stream().map(Topic::name).collect(Collectors.toSet());
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (String topic : topics) {
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get();
    long lag = 0;
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
      OffsetAndMetadata position = committed.get(end.getKey());
      lag += end.getValue().offset() - (position == null ? 0 : position.offset());
    }
    return lag;
  }

  /** Least-squares slope of lag over time, in events per second. */
  /**
   * Whether the aggregator kept up: it did unless the lag grew by 1 % of the offered rate or more,
   * or was a second of input or more at the end. A lag shrinking that fast kept up too, after a
   * backlog earlier in the drive, and says so.
   */
  static String verdict(double slope, long lagAtEnd, int rate) {
    if (slope >= rate * 0.01 || lagAtEnd >= rate) {
      return "GROWING (fell behind)";
    }
    return slope <= -rate * 0.01 ? "SHRINKING (kept up after a backlog)" : "FLAT (kept up)";
  }

  static double slope(List<long[]> samples) {
    if (samples.size() < 2) {
      return 0;
    }
    double n = samples.size();
    double sumT = 0;
    double sumL = 0;
    double sumTt = 0;
    double sumTl = 0;
    for (long[] sample : samples) {
      double t = sample[0] / 1000.0;
      sumT += t;
      sumL += sample[1];
      sumTt += t * t;
      sumTl += t * sample[1];
    }
    double denominator = n * sumTt - sumT * sumT;
    return denominator == 0 ? 0 : (n * sumTl - sumT * sumL) / denominator;
  }

  /** COPY {@code rows} rows shaped like the benchmark's events into a scratch copy of the log. */
  private static double copyCeiling(Connection connection, long rows) throws Exception {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS loadgen_scratch CASCADE");
      statement.execute("CREATE SCHEMA loadgen_scratch");
      statement.execute(
          "CREATE TABLE loadgen_scratch.events (LIKE obs.events INCLUDING DEFAULTS INCLUDING"
              + " CONSTRAINTS INCLUDING INDEXES)");
    }
    String workspace = "loadgen-scratch";
    Reader source =
        new Reader() {
          long produced;
          char[] pending = new char[0];
          int position;

          @Override
          public int read(char[] buffer, int offset, int length) {
            if (position == pending.length) {
              if (produced == rows) {
                return -1;
              }
              pending = row(workspace).toCharArray();
              position = 0;
              produced++;
            }
            int count = Math.min(length, pending.length - position);
            System.arraycopy(pending, position, buffer, offset, count);
            position += count;
            return count;
          }

          @Override
          public void close() {}
        };
    long started = System.nanoTime();
    ((PGConnection) connection.unwrap(PGConnection.class))
        .getCopyAPI()
        .copyIn(
            "COPY loadgen_scratch.events (workspace_id, event_id, occurred_at, type, agent_id,"
                + " subject, status, duration_ms, provider, model, input_tokens, output_tokens,"
                + " cached_input_tokens, reasoning_tokens, usage_flags, cost_nano_usd,"
                + " pricing_status, pricing_id, metadata, tags) FROM STDIN",
            source,
            1 << 16);
    double seconds = (System.nanoTime() - started) / 1e9;
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA loadgen_scratch CASCADE");
    }
    return rows / seconds;
  }

  private static String row(String workspace) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String[] model = MODELS[random.nextInt(MODELS.length)].split("/");
    long input = 200 + random.nextInt(3000);
    return workspace
        + '\t'
        + UUID.randomUUID()
        + '\t'
        + OffsetDateTime.now(ZoneOffset.UTC)
        + "\tllm_call\tbench-agent-"
        + random.nextInt(50)
        + '\t'
        + model[0]
        + '/'
        + model[1]
        + "\tok\t"
        + (100 + random.nextInt(3000))
        + '\t'
        + model[0]
        + '\t'
        + model[1]
        + '\t'
        + input
        + '\t'
        + (50 + random.nextInt(800))
        + '\t'
        + input / 4
        + "\t0\t{}\t"
        + random.nextInt(10_000_000)
        + "\tpriced\t1\t{\"bench\": \"aggregator\"}\t{bench}\n";
  }
}
