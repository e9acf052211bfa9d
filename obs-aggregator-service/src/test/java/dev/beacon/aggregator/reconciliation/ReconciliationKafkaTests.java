package dev.beacon.aggregator.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.EventStream;
import dev.beacon.aggregator.Events;
import dev.beacon.aggregator.reconciliation.ReconciliationService.Mismatch;
import dev.beacon.testsupport.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The scheduled reconciliation (ADR 0012) on events that went through the pipeline: the log against
 * one minute's rows, and the metrics tables against each other, each of them tampered with and
 * restored. Scheduled runs are off in tests; the tests run the checks on the minute they chose.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationKafkaTests {

  @Autowired KafkaTemplate<String, byte[]> kafka;
  @Autowired ObjectMapper json;
  @Autowired DataSource dataSource;
  @Autowired ReconciliationService reconciliation;
  @Autowired MeterRegistry meters;

  final String workspace = Events.newWorkspace();

  /** A closed minute with five events, and its neighbours with one each. */
  Instant minute;

  EventStream stream;

  @BeforeAll
  void publishAMinute() {
    stream = new EventStream(kafka, json, new JdbcTemplate(dataSource));
    minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    OffsetDateTime at = minute.atOffset(ZoneOffset.UTC);
    stream.publish(
        List.of(
            Events.llmCall(workspace, "bot", "openai", "gpt-4o", at, 1000, 100, 0, 0, 50),
            Events.llmCall(
                workspace,
                "bot",
                "anthropic",
                "claude-sonnet-4-5",
                at.plusSeconds(20),
                10,
                5,
                0,
                0,
                70),
            Events.llmCall(
                workspace, "helper", "openai", "gpt-4o", at.plusSeconds(59), 500, 50, 0, 0, 30),
            Events.toolCall(workspace, "bot", "search", at.plusSeconds(30), 12, true),
            Events.toolCall(workspace, "bot", "search", at.plusSeconds(31), 15, false),
            // the last instant of the minute before and the first of the next
            Events.toolCall(workspace, "bot", "search", at.minusNanos(1000), 10, true),
            Events.toolCall(workspace, "bot", "search", at.plusMinutes(1), 10, true)));
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.daily(workspace, "calls") == 7);
  }

  @Test
  void theLogMatchesTheMinuteRowsUntilAMinuteRowIsChanged() {
    assertThat(mine(reconciliation.checkLog(minute).block())).isEmpty();
    assertThat(mine(reconciliation.checkLog(minute.minus(1, ChronoUnit.MINUTES)).block()))
        .isEmpty();

    tamper("metrics_minute", "minute_start", minute, "calls", 1);
    try {
      assertThat(mine(reconciliation.checkLog(minute).block()))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.start()).isEqualTo(minute);
                assertThat(m.totals().calls()).as("events logged").isEqualTo(5);
                assertThat(m.expected().calls()).as("calls in minute rows").isEqualTo(6);
              });
      assertThat(meters.get("beacon.aggregator.reconciliation.drift.events").gauge().value())
          .isGreaterThanOrEqualTo(1);
      // the neighbours are untouched
      assertThat(mine(reconciliation.checkLog(minute.plus(1, ChronoUnit.MINUTES)).block()))
          .isEmpty();
    } finally {
      tamper("metrics_minute", "minute_start", minute, "calls", -1);
    }
    assertThat(mine(reconciliation.checkLog(minute).block())).isEmpty();
  }

  @Test
  void eventsWithoutAnyMinuteRowAreFound() {
    Instant next = minute.plus(1, ChronoUnit.MINUTES);
    // the next minute's only row, moved a day back: its event is logged but counted nowhere
    assertThat(moveMinuteRows(next, Duration.ofDays(-1))).isOne();
    try {
      assertThat(mine(reconciliation.checkLog(next).block()))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.totals().calls()).as("events logged").isEqualTo(1);
                assertThat(m.expected().calls()).as("calls in minute rows").isZero();
              });
    } finally {
      moveMinuteRows(next.minus(Duration.ofDays(1)), Duration.ofDays(1));
    }
    assertThat(mine(reconciliation.checkLog(next).block())).isEmpty();
  }

  @Test
  void theMetricsTablesAddUpUntilOneOfThemIsChanged() {
    Instant hour = minute.truncatedTo(ChronoUnit.HOURS);
    LocalDate day = LocalDate.ofInstant(minute, ZoneOffset.UTC);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertThat(metricsMismatches(hour, day, today)).isEmpty();
    // the gauge counts every workspace's drift in the range: other tests' deliberately uneven
    // rows (on the same days, e.g. when a run crosses midnight) are the baseline
    double baseline = rollupDrift();

    // a minute row's cost: its hour no longer adds up
    tamper("metrics_minute", "minute_start", minute, "cost_nano_usd", 1);
    try {
      assertThat(metricsMismatches(hour, day, today))
          .extracting(Mismatch::start, Mismatch::source, Mismatch::expectedSource)
          .containsExactly(tuple(hour, "metrics_minute", "metrics_hourly"));
      assertThat(rollupDrift()).isGreaterThan(baseline);
    } finally {
      tamper("metrics_minute", "minute_start", minute, "cost_nano_usd", -1);
    }

    // an hour row's calls: its minutes, its rollups and its day no longer add up
    tamper("metrics_hourly", "hour_start", hour, "calls", 1);
    try {
      assertThat(metricsMismatches(hour, day, today))
          .extracting(Mismatch::source, Mismatch::expectedSource)
          .containsExactlyInAnyOrder(
              tuple("metrics_minute", "metrics_hourly"),
              tuple("metrics_hourly_subject", "metrics_hourly"),
              tuple("metrics_hourly_agent", "metrics_hourly"),
              tuple("metrics_hourly_subject", "metrics_hourly"),
              tuple("metrics_hourly_agent", "metrics_hourly"),
              tuple("metrics_hourly", "metrics_daily"));
    } finally {
      tamper("metrics_hourly", "hour_start", hour, "calls", -1);
    }

    // a day row's cost: its hours and its rollups no longer add up
    tamper("metrics_daily", "day", day, "cost_nano_usd", 1);
    try {
      assertThat(metricsMismatches(hour, day, today))
          .extracting(Mismatch::source, Mismatch::expectedSource)
          .containsExactlyInAnyOrder(
              tuple("metrics_hourly", "metrics_daily"),
              tuple("metrics_daily_subject", "metrics_daily"),
              tuple("metrics_daily_agent", "metrics_daily"));
    } finally {
      tamper("metrics_daily", "day", day, "cost_nano_usd", -1);
    }
    assertThat(metricsMismatches(hour, day, today)).isEmpty();
    assertThat(rollupDrift()).isEqualTo(baseline);
  }

  private double rollupDrift() {
    return meters.get("beacon.aggregator.reconciliation.drift.rollups").gauge().value();
  }

  private List<Mismatch> metricsMismatches(Instant hour, LocalDate from, LocalDate to) {
    return mine(reconciliation.checkMetrics(hour, from, to).block());
  }

  private List<Mismatch> mine(List<Mismatch> mismatches) {
    return mismatches.stream().filter(m -> m.workspaceId().equals(workspace)).toList();
  }

  /** Adds {@code delta} to {@code column} of one of the workspace's rows at {@code at}. */
  private void tamper(String table, String timeColumn, Object at, String column, long delta) {
    Object time = at instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : at;
    int changed =
        stream
            .jdbc()
            .update(
                ("UPDATE obs.%1$s SET %3$s = %3$s + ? WHERE ctid = (SELECT ctid FROM obs.%1$s"
                        + " WHERE workspace_id = ? AND %2$s = ? LIMIT 1)")
                    .formatted(table, timeColumn, column),
                delta,
                workspace,
                time);
    assertThat(changed).as(table).isOne();
  }

  private int moveMinuteRows(Instant from, Duration by) {
    return stream
        .jdbc()
        .update(
            "UPDATE obs.metrics_minute SET minute_start = minute_start + ?::interval"
                + " WHERE workspace_id = ? AND minute_start = ?",
            by.toSeconds() + " seconds",
            workspace,
            from.atOffset(ZoneOffset.UTC));
  }
}
