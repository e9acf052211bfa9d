package dev.beacon.aggregator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.EventStream;
import dev.beacon.aggregator.Events;
import dev.beacon.aggregator.KafkaProbe;
import dev.beacon.aggregator.metrics.write.LatencyHistogram;
import dev.beacon.events.EventType;
import dev.beacon.events.LatencyBuckets;
import dev.beacon.events.MetricUpdate;
import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.testsupport.IntegrationTest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.ObjectMapper;

@IntegrationTest
class AggregationKafkaTests {

  /** List prices seeded by V3 (USD per 1M tokens): input, cached input, output. */
  private static final Map<String, BigDecimal[]> PRICES =
      Map.of(
          "openai/gpt-4o", prices("2.50", "1.25", "10.00"),
          "anthropic/claude-sonnet-4-5", prices("3.00", "0.30", "15.00"),
          "google/gemini-2.5-flash", prices("0.30", "0.075", "2.50"));

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired ObjectMapper json;
  @Autowired DataSource dataSource;

  EventStream stream;

  @BeforeEach
  void setUp() {
    stream = new EventStream(kafka, json, new JdbcTemplate(dataSource));
  }

  @Test
  void knownTotalsGiveExactMetricsToTheLastNanoDollar() {
    String workspace = Events.newWorkspace();
    OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusHours(3);
    Random random = new Random(42);
    List<String> models = new ArrayList<>(PRICES.keySet());
    Collections.sort(models);
    List<ObsEvent> events = new ArrayList<>();
    long input = 0;
    long output = 0;
    long cached = 0;
    BigDecimal expectedNanoUsd = BigDecimal.ZERO;
    for (int i = 0; i < 90; i++) {
      String subject = models.get(i % models.size());
      long in = random.nextInt(20_000);
      long cache = in == 0 ? 0 : random.nextInt((int) in);
      long out = random.nextInt(3_000);
      String[] parts = subject.split("/", 2);
      events.add(
          Events.llmCall(
              workspace,
              "agent-" + (i % 3),
              parts[0],
              parts[1],
              base.plusSeconds(i * 7L),
              in,
              out,
              cache,
              0,
              100 + i));
      input += in;
      output += out;
      cached += cache;
      BigDecimal[] price = PRICES.get(subject);
      BigDecimal usd =
          BigDecimal.valueOf(in - cache)
              .multiply(price[0])
              .add(BigDecimal.valueOf(cache).multiply(price[1]))
              .add(BigDecimal.valueOf(out).multiply(price[2]))
              .divide(BigDecimal.valueOf(1_000_000));
      expectedNanoUsd =
          expectedNanoUsd.add(usd.movePointRight(9).setScale(0, RoundingMode.HALF_EVEN));
    }
    for (int d = 1; d <= 200; d++) {
      events.add(Events.toolCall(workspace, "agent-0", "slack.post_message", base, d, d % 10 != 0));
    }

    stream.publish(events);

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(workspace, "calls") == 290);
    assertThat(stream.storedEvents(workspace)).isEqualTo(290);
    assertThat(stream.daily(workspace, "input_tokens")).isEqualTo(input);
    assertThat(stream.daily(workspace, "output_tokens")).isEqualTo(output);
    assertThat(stream.daily(workspace, "cached_input_tokens")).isEqualTo(cached);
    assertThat(stream.daily(workspace, "cost_nano_usd"))
        .isEqualTo(expectedNanoUsd.longValueExact());
    assertThat(stream.minute(workspace, "cost_nano_usd"))
        .isEqualTo(expectedNanoUsd.longValueExact());
    assertThat(stream.daily(workspace, "errors")).isEqualTo(20);
    assertThat(stream.daily(workspace, "unpriced_calls")).isZero();

    long[] histogram = histogram(workspace, "tool_call");
    assertThat(LatencyHistogram.bucketOf(LatencyHistogram.quantileMs(histogram, 0.50, 200)))
        .isEqualTo(LatencyHistogram.bucketOf(100));
    assertThat(LatencyHistogram.bucketOf(LatencyHistogram.quantileMs(histogram, 0.95, 200)))
        .isEqualTo(LatencyHistogram.bucketOf(190));
    assertThat(LatencyHistogram.bucketOf(LatencyHistogram.quantileMs(histogram, 0.99, 200)))
        .isEqualTo(LatencyHistogram.bucketOf(198));
  }

  /**
   * The log is written with COPY's text format, where tab, newline, carriage return and backslash
   * are syntax: text holding them, array elements with quotes and braces, and JSON with escapes
   * come back exactly as sent.
   */
  @Test
  void storesTextWithCopySyntaxInItExactlyAsSent() {
    String workspace = Events.newWorkspace();
    String awkward = "tab\there\nnew line\r\nback\\slash \\N \"quoted\" {a,b} ünïcødé ✓ 🚀";
    Map<String, Object> metadata = new TreeMap<>();
    metadata.put("text", awkward);
    metadata.put("path", "C:\\temp\\new");
    metadata.put("nested", Map.of("list", List.of("\t", "\\N", "}{")));
    List<String> tags =
        List.of("plain", "with,comma", "{braces}", "quote\"d", "back\\slash", "NULL");
    ObsEvent base =
        Events.toolCall(
            workspace, "agent\tA", "search\\web", OffsetDateTime.now(ZoneOffset.UTC), 12, false);
    ObsEvent event =
        new ObsEvent(
            base.eventId(),
            base.type(),
            base.occurredAt(),
            workspace,
            base.agentId(),
            "run\\N",
            "trace\nid",
            null,
            null,
            base.status(),
            new dev.beacon.events.ErrorDetails("Timeout\tError", awkward),
            base.durationMs(),
            null,
            new dev.beacon.events.ToolDetails("search\\web", "inte\rgration"),
            null,
            null,
            metadata,
            tags);

    stream.publish(List.of(event));

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.storedEvents(workspace) == 1);
    Map<String, Object> row =
        new JdbcTemplate(dataSource)
            .queryForMap(
                "SELECT agent_id, run_id, trace_id, span_id, error_type, error_message, tool_name,"
                    + " tool_integration, metadata::text AS metadata, tags FROM obs.events"
                    + " WHERE workspace_id = ?",
                workspace);
    assertThat(row.get("agent_id")).isEqualTo("agent\tA");
    assertThat(row.get("run_id")).isEqualTo("run\\N");
    assertThat(row.get("trace_id")).isEqualTo("trace\nid");
    assertThat(row.get("span_id")).isNull();
    assertThat(row.get("error_type")).isEqualTo("Timeout\tError");
    assertThat(row.get("error_message")).isEqualTo(awkward);
    assertThat(row.get("tool_name")).isEqualTo("search\\web");
    assertThat(row.get("tool_integration")).isEqualTo("inte\rgration");
    assertThat(json.readValue((String) row.get("metadata"), Map.class)).isEqualTo(metadata);
    assertThat(arrayOf(row.get("tags"))).containsExactlyElementsOf(tags);
  }

  private static List<Object> arrayOf(Object sqlArray) {
    try {
      return List.of((Object[]) ((Array) sqlArray).getArray());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyEventDeliveredTwiceGivesTheSameTotals() {
    String workspace = Events.newWorkspace();
    OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(30);
    List<ObsEvent> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(
          Events.llmCall(
              workspace, "a", "openai", "gpt-4o", base.plusSeconds(i), 1000, 100, 0, 0, 50));
      events.add(Events.toolCall(workspace, "a", "github.search", base.plusSeconds(i), 20, true));
    }
    stream.publish(events);
    stream.publish(events);
    List<ObsEvent> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(7));
    stream.publish(shuffled);

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(workspace, "calls") == 80);
    // 40 gpt-4o calls of 1000 input and 100 output tokens: 40 * (1000*2500 + 100*10000) nano-USD
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> stream.daily(workspace, "calls") == 80);
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(40L * 3_500_000);
    assertThat(stream.storedEvents(workspace)).isEqualTo(80);
  }

  @Test
  void shuffledAndLateEventsLandInTheirOwnMinuteAndDay() {
    String workspace = Events.newWorkspace();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<ObsEvent> events = new ArrayList<>();
    for (int day = 0; day < 4; day++) {
      for (int i = 0; i < 5; i++) {
        events.add(
            Events.toolCall(
                workspace,
                "late-agent",
                "web.fetch",
                now.minusDays(day).minusMinutes(i),
                10,
                true));
      }
    }
    Collections.shuffle(events, new Random(3));
    stream.publish(events);

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(workspace, "calls") == 20);
    Map<LocalDate, Long> expectedPerDay = new TreeMap<>();
    for (ObsEvent event : events) {
      expectedPerDay.merge(
          event.occurredAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDate(), 1L, Long::sum);
    }
    Map<LocalDate, Long> perDay = new TreeMap<>();
    stream
        .jdbc()
        .query(
            "SELECT day, calls FROM obs.metrics_daily WHERE workspace_id = ?",
            (rs, n) ->
                perDay.merge(rs.getObject("day", LocalDate.class), rs.getLong("calls"), Long::sum),
            workspace);
    assertThat(perDay).isEqualTo(expectedPerDay);
    assertThat(stream.rows("metrics_minute", workspace)).isEqualTo(20);
  }

  @Test
  void hourRowsAreExactlyTheSumsOfTheirMinutesForLateShuffledAndDuplicateEvents() {
    String workspace = Events.newWorkspace();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Random random = new Random(17);
    List<ObsEvent> events = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      // up to 40 h back: across UTC days and within the minute retention, which the retention job
      // must not trim while the test compares minutes with hours
      OffsetDateTime at = now.minusSeconds(random.nextInt(40 * 3600));
      events.add(
          i % 2 == 0
              ? Events.llmCall(
                  workspace,
                  "agent-" + (i % 3),
                  "openai",
                  "gpt-4o",
                  at,
                  random.nextInt(5000),
                  random.nextInt(500),
                  0,
                  0,
                  random.nextInt(20_000))
              : Events.toolCall(
                  workspace,
                  "agent-" + (i % 3),
                  "web.fetch",
                  at,
                  random.nextInt(9000),
                  i % 7 != 0));
    }
    List<ObsEvent> lateFirst = new ArrayList<>(events);
    Collections.shuffle(lateFirst, new Random(5));
    stream.publish(lateFirst.subList(0, 60));
    stream.publish(events);
    stream.publish(lateFirst);

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(workspace, "calls") == 120);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> stream.hourly(workspace, "calls") == 120);
    List<String> hours = stream.hoursOf(workspace, "metrics_hourly");
    assertThat(hours).hasSizeGreaterThan(20);
    assertThat(hours).isEqualTo(stream.hoursOf(workspace, "metrics_minute"));
    assertThat(stream.daysOf(workspace, "metrics_hourly"))
        .isEqualTo(stream.daysOf(workspace, "metrics_daily"));
    assertThat(stream.agentDaysOf(workspace, "metrics_daily_agent")).hasSizeGreaterThan(6);
    assertThat(stream.agentHoursOf(workspace, "metrics_hourly_agent")).hasSizeGreaterThan(20);
    stream.assertRollupsAddUp(workspace);
    for (String rollup : List.of("metrics_daily_subject", "metrics_hourly_subject")) {
      assertThat(
              stream
                  .jdbc()
                  .queryForList(
                      "SELECT DISTINCT shard FROM obs." + rollup + " WHERE workspace_id = ?",
                      Integer.class,
                      workspace))
          .as("the partitions the three agents' events were consumed from, in " + rollup)
          .containsExactlyInAnyOrderElementsOf(
              events.stream().map(stream::partitionOf).distinct().toList());
    }
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndTheStreamGoesOn() {
    String workspace = Events.newWorkspace();
    String key = Topics.eventKey(workspace, "a");
    byte[] garbage = ("{not json " + workspace).getBytes(StandardCharsets.UTF_8);
    byte[] noBody =
        ("{\"event_id\":\"6f1c7c1e-0000-4000-8000-000000000001\",\"type\":\"llm_call\","
                + "\"occurred_at\":\"2026-11-25T09:15:30Z\",\"workspace_id\":\""
                + workspace
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    stream.publishRaw(Topics.LLM_CALLS.name(), key, garbage);
    stream.publishRaw(Topics.LLM_CALLS.name(), key, noBody);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    stream.publish(
        List.of(
            Events.llmCall(workspace, "a", "openai", "gpt-4o", now, 10, 10, 0, 0, 10),
            Events.toolCall(workspace, "a", "x", now, 10, true)));

    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(workspace, "calls") == 2);
    try (KafkaProbe probe = new KafkaProbe(Topics.LLM_CALLS.deadLetterName())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> probe.matching(record -> key.equals(record.key())).size() >= 2);
      List<ConsumerRecord<String, byte[]>> dead =
          probe.matching(record -> key.equals(record.key()));
      assertThat(dead)
          .extracting(record -> header(record, "beacon-dlt-reason"))
          .contains("undecodable", "invalid");
      assertThat(dead)
          .allSatisfy(
              record -> {
                assertThat(header(record, "kafka_dlt-original-topic"))
                    .isEqualTo(Topics.LLM_CALLS.name());
                assertThat(record.headers().lastHeader("kafka_dlt-original-offset")).isNotNull();
                assertThat(record.headers().lastHeader("kafka_dlt-original-partition")).isNotNull();
              });
      assertThat(dead).extracting(ConsumerRecord::value).contains(garbage, noBody);
    }
  }

  @Test
  void publishesAbsoluteMinuteAndDayTotalsAfterEachCommittedBatch() {
    String workspace = Events.newWorkspace();
    OffsetDateTime minute =
        OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).minusMinutes(5);
    stream.publish(
        List.of(
            Events.toolCall(workspace, "pub", "notion.search", minute.plusSeconds(1), 30, true),
            Events.toolCall(workspace, "pub", "notion.search", minute.plusSeconds(2), 50, false)));
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(workspace, "calls") == 2);
    stream.publish(
        List.of(
            Events.toolCall(workspace, "pub", "notion.search", minute.plusSeconds(3), 70, true)));

    try (KafkaProbe probe = new KafkaProbe(Topics.METRIC_UPDATES.name())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  updates(probe, workspace).stream()
                      .anyMatch(update -> update.minuteTotals().calls() == 3));
      MetricUpdate last =
          updates(probe, workspace).stream()
              .filter(update -> update.minuteTotals().calls() == 3)
              .findFirst()
              .orElseThrow();
      assertThat(last.type()).isEqualTo(EventType.TOOL_CALL);
      assertThat(last.subject()).isEqualTo("notion.search");
      assertThat(last.agentId()).isEqualTo("pub");
      assertThat(last.minuteStart().toInstant()).isEqualTo(minute.toInstant());
      assertThat(last.minuteTotals().errors()).isEqualTo(1);
      assertThat(last.minuteTotals().durationMsSum()).isEqualTo(150);
      assertThat(last.minuteTotals().durationMsMax()).isEqualTo(70);
      assertThat(last.dayTotals().calls()).isGreaterThanOrEqualTo(3);
      assertThat(last.day()).isEqualTo(minute.toLocalDate());
      long[] expected = new long[LatencyBuckets.COUNT];
      expected[LatencyBuckets.bucketOf(30)]++;
      expected[LatencyBuckets.bucketOf(50)]++;
      expected[LatencyBuckets.bucketOf(70)]++;
      assertThat(LatencyBuckets.bucketOf(30)).isNotEqualTo(LatencyBuckets.bucketOf(70));
      assertThat(last.minuteTotals().latencyBuckets()).isEqualTo(expected);
      // the workspace is fresh, so its day holds exactly these three calls
      assertThat(last.dayTotals().latencyBuckets()).isEqualTo(expected);
      assertThat(LatencyBuckets.quantileMs(last.minuteTotals().latencyBuckets(), 0.95, 70))
          .isEqualTo(70L);
    }
  }

  @Test
  void runsCollectTheirEventsTokensCostAndBounds() {
    String workspace = Events.newWorkspace();
    OffsetDateTime start =
        OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(20).truncatedTo(ChronoUnit.MILLIS);
    String run = "run-1";
    List<ObsEvent> events =
        List.of(
            Events.inRun(
                Events.event(
                    workspace,
                    "r",
                    EventType.RUN_END,
                    start.plusSeconds(60),
                    dev.beacon.events.EventStatus.ERROR,
                    60_000L,
                    null,
                    null,
                    null,
                    null),
                run),
            Events.inRun(
                Events.llmCall(
                    workspace,
                    "r",
                    "openai",
                    "gpt-4o",
                    start.plusSeconds(10),
                    1000,
                    100,
                    0,
                    0,
                    900),
                run),
            Events.inRun(
                Events.toolCall(
                    workspace, "r", "slack.post_message", start.plusSeconds(20), 300, false),
                run),
            Events.inRun(
                Events.event(
                    workspace,
                    "r",
                    EventType.RUN_START,
                    start,
                    dev.beacon.events.EventStatus.OK,
                    null,
                    null,
                    null,
                    null,
                    null),
                run));
    stream.publish(events);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stream
                        .jdbc()
                        .queryForObject(
                            "SELECT coalesce(max(events), 0) FROM obs.runs WHERE workspace_id = ?",
                            Long.class,
                            workspace)
                    == 4);
    Map<String, Object> row =
        stream
            .jdbc()
            .queryForMap(
                "SELECT * FROM obs.runs WHERE workspace_id = ? AND run_id = ?", workspace, run);
    assertThat(row.get("agent_id")).isEqualTo("r");
    assertThat(((Number) row.get("errors")).longValue()).isEqualTo(2);
    assertThat(((Number) row.get("input_tokens")).longValue()).isEqualTo(1000);
    assertThat(((Number) row.get("cost_nano_usd")).longValue()).isEqualTo(3_500_000);
    assertThat(row.get("end_status")).isEqualTo("error");
    assertThat(((Number) row.get("end_duration_ms")).longValue()).isEqualTo(60_000);
    assertThat(((java.sql.Timestamp) row.get("started_at")).toInstant())
        .isEqualTo(start.toInstant());
  }

  @Test
  void normalisesInconsistentTokenUsageBeforePricingAndFlagsIt() {
    String workspace = Events.newWorkspace();
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(2);
    stream.publish(
        List.of(Events.llmCall(workspace, "n", "openai", "gpt-4o", at, 100, -5, 400, 0, 10)));
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.storedEvents(workspace) == 1);
    Map<String, Object> row =
        stream
            .jdbc()
            .queryForMap(
                "SELECT input_tokens, output_tokens, cached_input_tokens, cost_nano_usd, pricing_status,"
                    + " array_to_string(usage_flags, ',') AS flags FROM obs.events WHERE workspace_id = ?",
                workspace);
    assertThat(row.get("input_tokens")).isEqualTo(100L);
    assertThat(row.get("output_tokens")).isEqualTo(0L);
    assertThat(row.get("cached_input_tokens")).isEqualTo(100L);
    assertThat(row.get("cost_nano_usd")).isEqualTo(100L * 1_250);
    assertThat(row.get("pricing_status")).isEqualTo("priced");
    assertThat((String) row.get("flags"))
        .contains("negative_output_tokens", "cached_exceeds_input");
  }

  private List<MetricUpdate> updates(KafkaProbe probe, String workspace) {
    return probe.matching(record -> record.key().startsWith(workspace + ":")).stream()
        .map(record -> json.readValue(record.value(), MetricUpdate.class))
        .toList();
  }

  private long[] histogram(String workspace, String type) {
    return stream
        .jdbc()
        .queryForObject(
            "SELECT obs.sum_buckets(latency_buckets) FROM obs.metrics_daily WHERE workspace_id = ? AND type = ?",
            (rs, n) -> {
              Array array = rs.getArray(1);
              Long[] values = (Long[]) array.getArray();
              long[] buckets = new long[values.length];
              for (int i = 0; i < values.length; i++) {
                buckets[i] = values[i];
              }
              return buckets;
            },
            workspace,
            type);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return record.headers().lastHeader(name) == null
        ? null
        : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static BigDecimal[] prices(String input, String cached, String output) {
    return new BigDecimal[] {new BigDecimal(input), new BigDecimal(cached), new BigDecimal(output)};
  }
}
