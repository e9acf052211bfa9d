package dev.beacon.loadgen.aggregator;

import dev.beacon.loadgen.Options;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Read API latency at volume: seeds a fresh bench workspace with {@code --days} (30) days of daily
 * metrics for {@code --agents} (50) agents × {@code --models} (20) models, plus minute rows for the
 * last {@code --minute-hours} (48) hours where each (agent, model) is active in a {@code
 * --minute-fill} (0.05) fraction of the minutes, written directly with COPY into {@code
 * obs.metrics_daily} / {@code obs.metrics_minute} (not through the pipeline: the pipeline's own
 * rate is the throughput benchmark's subject), the hourly rows of those minutes (their sums per
 * hour, as the pipeline keeps them) into {@code obs.metrics_hourly}, and the rollups by subject and
 * by agent of the daily and hourly rows ({@code obs.metrics_daily_subject}, {@code
 * obs.metrics_daily_agent}, {@code obs.metrics_hourly_subject}, {@code obs.metrics_hourly_agent}).
 * Then measures p50/p99 of summary, daily and timeseries with sequential requests after a warm-up,
 * straight to the aggregator with a signed identity.
 *
 * <pre>
 * java -cp … dev.beacon.loadgen.aggregator.ReadApiBenchmark --aggregator-url http://localhost:8085 \
 *   --identity-secret … --db jdbc:postgresql://localhost:5432/beacon --db-user beacon \
 *   --db-password beacon [--requests 200] [--minute-fill 0.05] [--keep]
 * </pre>
 */
public final class ReadApiBenchmark {

  static final int BUCKETS = 44;

  /** The hourly rows of a workspace's minute rows: their sums per UTC hour. */
  private static final String HOURS_OF_MINUTES =
      """
      INSERT INTO obs.metrics_hourly
      SELECT workspace_id, date_trunc('hour', minute_start, 'UTC'), agent_id, type, subject,
             sum(calls), sum(errors), sum(input_tokens), sum(output_tokens),
             sum(cached_input_tokens), sum(reasoning_tokens), sum(cost_nano_usd),
             sum(unpriced_calls), sum(duration_count), sum(duration_ms_sum), max(duration_ms_max),
             obs.sum_buckets(latency_buckets)
      FROM obs.metrics_minute WHERE workspace_id = ?
      GROUP BY workspace_id, date_trunc('hour', minute_start, 'UTC'), agent_id, type, subject
      """;

  /**
   * The rollups of a workspace's daily or hourly rows (ADR 0010, 0011), as the pipeline keeps them:
   * by subject with one row per shard (the Kafka partition of each agent's events; 3 per topic in
   * the local stack) and by agent. Formatted with {@code daily, day} or {@code hourly, hour_start}.
   */
  private static final String ROLLUPS =
      """
      INSERT INTO obs.metrics_%1$s_subject
      SELECT workspace_id, %2$s, type, subject, abs(hashtext(agent_id)) %% 3,
             sum(calls), sum(errors), sum(input_tokens), sum(output_tokens),
             sum(cached_input_tokens), sum(reasoning_tokens), sum(cost_nano_usd),
             sum(unpriced_calls), sum(duration_count), sum(duration_ms_sum), max(duration_ms_max),
             obs.sum_buckets(latency_buckets)
      FROM obs.metrics_%1$s WHERE workspace_id = ?
      GROUP BY workspace_id, %2$s, type, subject, abs(hashtext(agent_id)) %% 3;
      INSERT INTO obs.metrics_%1$s_agent
      SELECT workspace_id, %2$s, agent_id, type,
             sum(calls), sum(errors), sum(input_tokens), sum(output_tokens),
             sum(cached_input_tokens), sum(reasoning_tokens), sum(cost_nano_usd),
             sum(unpriced_calls), sum(duration_count), sum(duration_ms_sum), max(duration_ms_max),
             obs.sum_buckets(latency_buckets)
      FROM obs.metrics_%1$s WHERE workspace_id = ?
      GROUP BY workspace_id, %2$s, agent_id, type
      """;

  /** Every metrics table the benchmark seeds. */
  private static final List<String> TABLES =
      List.of(
          "metrics_daily",
          "metrics_daily_subject",
          "metrics_daily_agent",
          "metrics_minute",
          "metrics_hourly",
          "metrics_hourly_subject",
          "metrics_hourly_agent");

  private ReadApiBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = new Options(args);
    String aggregatorUrl =
        options
            .get("aggregator-url", "BEACON_AGGREGATOR_URL", "http://localhost:8085")
            .replaceAll("/+$", "");
    SignedIdentity identity =
        new SignedIdentity(options.required("identity-secret", "BEACON_IDENTITY_SECRET"));
    String db = options.get("db", "BEACON_DB_JDBC_URL", "jdbc:postgresql://localhost:5432/beacon");
    String dbUser = options.get("db-user", "BEACON_DB_USER", "beacon");
    String dbPassword = options.get("db-password", "BEACON_DB_PASSWORD", "beacon");
    int days = options.integer("days", 30);
    int agents = options.integer("agents", 50);
    int models = options.integer("models", 20);
    int minuteHours = options.integer("minute-hours", 48);
    double minuteFill = options.decimal("minute-fill", 0.05);
    int requests = options.integer("requests", 200);
    boolean keep = Boolean.parseBoolean(options.get("keep", null, "false"));
    String workspace = "bench-read-" + UUID.randomUUID();

    long dailyRows;
    long minuteRows;
    long hourlyRows;
    long seedStarted = System.nanoTime();
    try (Connection connection = DriverManager.getConnection(db, dbUser, dbPassword)) {
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      dailyRows =
          copy.copyIn(
              "COPY obs.metrics_daily FROM STDIN",
              new RowReader(new DailyRows(workspace, days, agents, models)));
      minuteRows =
          copy.copyIn(
              "COPY obs.metrics_minute FROM STDIN",
              new RowReader(new MinuteRows(workspace, minuteHours, agents, models, minuteFill)));
      try (PreparedStatement hours = connection.prepareStatement(HOURS_OF_MINUTES)) {
        hours.setString(1, workspace);
        hourlyRows = hours.executeUpdate();
      }
      for (Map.Entry<String, String> granularity :
          Map.of("daily", "day", "hourly", "hour_start").entrySet()) {
        try (PreparedStatement rollups =
            connection.prepareStatement(
                ROLLUPS.formatted(granularity.getKey(), granularity.getValue()))) {
          rollups.setString(1, workspace);
          rollups.setString(2, workspace);
          rollups.execute();
        }
      }
      try (Statement statement = connection.createStatement()) {
        for (String table : TABLES) {
          statement.execute("ANALYZE obs." + table);
        }
      }
    }
    System.out.printf(
        "Seeded workspace %s: %,d daily rows (%d days x %d agents x %d models), %,d minute rows"
            + " (%d h, fill %.2f) and %,d hourly rows in %.1f s%n",
        workspace,
        dailyRows,
        days,
        agents,
        models,
        minuteRows,
        minuteHours,
        minuteFill,
        hourlyRows,
        (System.nanoTime() - seedStarted) / 1e9);

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("summary", "/api/obs/metrics/summary");
    endpoints.put(
        "daily (30 d, group_by=model)",
        "/api/obs/metrics/daily?group_by=model&from=" + today.minusDays(days - 1) + "&to=" + today);
    endpoints.put(
        "daily (30 d, group_by=agent)",
        "/api/obs/metrics/daily?group_by=agent&from=" + today.minusDays(days - 1) + "&to=" + today);
    endpoints.put(
        "daily (30 d, one agent, group_by=model)",
        "/api/obs/metrics/daily?agent=agent-7&group_by=model&from="
            + today.minusDays(days - 1)
            + "&to="
            + today);
    endpoints.put(
        "timeseries (1d step, 30 d, cost by model)",
        "/api/obs/metrics/timeseries?step=1d&metric=cost_nano_usd&group_by=model&from="
            + today.minusDays(days - 1));
    String lastHours = encode(now.minus(Duration.ofHours(Math.min(minuteHours, 47))).toString());
    endpoints.put(
        "timeseries (1h step, 47 h, calls by model)",
        "/api/obs/metrics/timeseries?step=1h&metric=calls&group_by=model&from=" + lastHours);
    endpoints.put(
        "timeseries (1h step, 47 h, p95 by agent)",
        "/api/obs/metrics/timeseries?step=1h&metric=p95_ms&group_by=agent&from=" + lastHours);
    endpoints.put(
        "timeseries (1h step, 47 h, one agent, calls by model)",
        "/api/obs/metrics/timeseries?step=1h&metric=calls&agent=agent-7&group_by=model&from="
            + lastHours);
    endpoints.put(
        "timeseries (1m step, 60 min, calls)",
        "/api/obs/metrics/timeseries?step=1m&metric=calls&from="
            + encode(now.minus(Duration.ofMinutes(60)).toString()));

    System.out.printf("%-56s %10s %10s %10s%n", "endpoint", "p50 ms", "p99 ms", "max ms");
    try {
      for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
        try {
          measure(http, identity, workspace, aggregatorUrl, endpoint, requests);
        } catch (IOException e) {
          System.out.printf("%-56s failed: %s%n", endpoint.getKey(), e);
        }
      }
    } finally {
      if (!keep) {
        try (Connection connection = DriverManager.getConnection(db, dbUser, dbPassword);
            Statement statement = connection.createStatement()) {
          for (String table : TABLES) {
            statement.execute(
                "DELETE FROM obs." + table + " WHERE workspace_id = '" + workspace + "'");
          }
        }
      }
    }
  }

  private static void measure(
      HttpClient http,
      SignedIdentity identity,
      String workspace,
      String aggregatorUrl,
      Map.Entry<String, String> endpoint,
      int requests)
      throws IOException, InterruptedException {
    Histogram micros = new Histogram(3);
    URI uri = URI.create(aggregatorUrl + endpoint.getValue());
    for (int i = 0; i < requests + 20; i++) {
      String token = identity.sign(workspace, Duration.ofMinutes(5));
      long started = System.nanoTime();
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(120))
                  .header(SignedIdentity.HEADER, token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      long elapsed = (System.nanoTime() - started) / 1_000;
      if (response.statusCode() != 200) {
        throw new IOException(
            endpoint.getKey()
                + " answered "
                + response.statusCode()
                + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
      }
      if (i >= 20) {
        micros.recordValue(elapsed);
      }
    }
    System.out.printf(
        "%-56s %10.1f %10.1f %10.1f%n",
        endpoint.getKey(),
        micros.getValueAtPercentile(50) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0,
        micros.getMaxValue() / 1000.0);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Produces COPY text lines one at a time; null when done. */
  interface Rows {
    String next();
  }

  /** A Reader over generated rows, so that millions of rows never sit in memory. */
  static final class RowReader extends Reader {
    private final Rows rows;
    private StringReader current = new StringReader("");

    RowReader(Rows rows) {
      this.rows = rows;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      int read = current.read(buffer, offset, length);
      while (read == -1) {
        String line = rows.next();
        if (line == null) {
          return -1;
        }
        current = new StringReader(line);
        read = current.read(buffer, offset, length);
      }
      return read;
    }

    @Override
    public void close() {}
  }

  /** One row's measures and histogram, consistent with each other. */
  static String measures(SplittableRandom random, int calls) {
    long input = calls * (200L + random.nextInt(3000));
    long output = calls * (50L + random.nextInt(800));
    long[] buckets = new long[BUCKETS];
    long durationSum = 0;
    long durationMax = 0;
    for (int i = 0; i < calls; i++) {
      int bucket = 18 + random.nextInt(14);
      buckets[bucket]++;
      long duration = 100 + random.nextInt(3000);
      durationSum += duration;
      durationMax = Math.max(durationMax, duration);
    }
    StringBuilder array = new StringBuilder("{");
    for (int i = 0; i < BUCKETS; i++) {
      array.append(i == 0 ? "" : ",").append(buckets[i]);
    }
    array.append('}');
    int errors = random.nextInt(Math.max(1, calls / 20) + 1);
    return calls
        + "\t"
        + errors
        + "\t"
        + input
        + "\t"
        + output
        + "\t"
        + input / 4
        + "\t0\t"
        + (input * 2_500 + output * 10_000)
        + "\t0\t"
        + calls
        + "\t"
        + durationSum
        + "\t"
        + durationMax
        + "\t"
        + array;
  }

  static String subject(int model) {
    return "provider-" + (model % 5) + "/model-" + model;
  }

  /** metrics_daily rows: every (day, agent, model). */
  static final class DailyRows implements Rows {
    private final String workspace;
    private final int days;
    private final int agents;
    private final int models;
    private final LocalDate first;
    private final SplittableRandom random = new SplittableRandom(42);
    private int index;

    DailyRows(String workspace, int days, int agents, int models) {
      this.workspace = workspace;
      this.days = days;
      this.agents = agents;
      this.models = models;
      this.first = LocalDate.now(ZoneOffset.UTC).minusDays(days - 1);
    }

    @Override
    public String next() {
      if (index == days * agents * models) {
        return null;
      }
      int day = index / (agents * models);
      int agent = index / models % agents;
      int model = index % models;
      index++;
      return workspace
          + "\t"
          + first.plusDays(day)
          + "\tagent-"
          + agent
          + "\tllm_call\t"
          + subject(model)
          + "\t"
          + measures(random, 20 + random.nextInt(200))
          + "\n";
    }
  }

  /** metrics_minute rows: each (minute, agent, model) present with probability {@code fill}. */
  static final class MinuteRows implements Rows {
    private final String workspace;
    private final int minutes;
    private final int agents;
    private final int models;
    private final double fill;
    private final OffsetDateTime first;
    private final SplittableRandom random = new SplittableRandom(7);
    private long index;

    MinuteRows(String workspace, int hours, int agents, int models, double fill) {
      this.workspace = workspace;
      this.minutes = hours * 60;
      this.agents = agents;
      this.models = models;
      this.fill = fill;
      this.first =
          OffsetDateTime.now(ZoneOffset.UTC)
              .truncatedTo(ChronoUnit.MINUTES)
              .minusMinutes(minutes - 1L);
    }

    @Override
    public String next() {
      long total = (long) minutes * agents * models;
      while (index < total) {
        long current = index++;
        if (random.nextDouble() >= fill) {
          continue;
        }
        long minute = current / ((long) agents * models);
        long agent = current / models % agents;
        int model = (int) (current % models);
        return workspace
            + "\t"
            + first.plusMinutes(minute)
            + "\tagent-"
            + agent
            + "\tllm_call\t"
            + subject(model)
            + "\t"
            + measures(random, 1 + random.nextInt(5))
            + "\n";
      }
      return null;
    }
  }
}
