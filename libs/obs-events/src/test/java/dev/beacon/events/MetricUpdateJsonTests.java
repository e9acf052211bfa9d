package dev.beacon.events;

import static dev.beacon.events.GoldenSamples.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class MetricUpdateJsonTests {

  @Test
  void goldenMetricUpdateSurvivesReadWriteReadUnchanged() {
    String json = GoldenSamples.json(GoldenSamples.METRIC_UPDATE_SAMPLE);

    MetricUpdate update = MAPPER.readValue(json, MetricUpdate.class);
    String written = MAPPER.writeValueAsString(update);

    assertThat(MAPPER.readTree(written)).isEqualTo(MAPPER.readTree(json));
    assertThat(MAPPER.readValue(written, MetricUpdate.class)).isEqualTo(update);
  }

  @Test
  void metricUpdateBuiltInJavaWritesTheGoldenJson() {
    MetricUpdate update =
        new MetricUpdate(
            "ws_01JD8X3K9Q",
            "support-bot",
            EventType.LLM_CALL,
            "openai/gpt-4o",
            OffsetDateTime.of(2026, 11, 25, 9, 15, 0, 0, ZoneOffset.UTC),
            new MetricTotals(
                3, 1, 5210, 884, 2048, 0, 19_305_000, 6120, 2950, histogram(1200, 1970, 2950)),
            LocalDate.of(2026, 11, 25),
            new MetricTotals(
                148, 4, 241_377, 40_112, 98_304, 0, 881_682_500, 297_540, 9875, dayHistogram()));

    assertThat(MAPPER.readTree(MAPPER.writeValueAsString(update)))
        .isEqualTo(GoldenSamples.tree(GoldenSamples.METRIC_UPDATE_SAMPLE));
  }

  @Test
  void unknownFieldsInAMetricUpdateAreIgnoredOnRead() {
    ObjectNode json = GoldenSamples.tree(GoldenSamples.METRIC_UPDATE_SAMPLE);
    json.put("histogram_version", 2);
    ((ObjectNode) json.get("minute_totals")).putArray("duration_ms_buckets").add(1).add(2);

    assertThat(MAPPER.treeToValue(json, MetricUpdate.class))
        .isEqualTo(
            MAPPER.readValue(
                GoldenSamples.json(GoldenSamples.METRIC_UPDATE_SAMPLE), MetricUpdate.class));
  }

  @Test
  void anUpdateFromAProducerWithoutLatencyBucketsReadsAsNullAndWritesWithoutThem() {
    ObjectNode json = GoldenSamples.tree(GoldenSamples.METRIC_UPDATE_SAMPLE);
    ((ObjectNode) json.get("minute_totals")).remove("latency_buckets");
    ((ObjectNode) json.get("day_totals")).remove("latency_buckets");

    MetricUpdate update = MAPPER.treeToValue(json, MetricUpdate.class);

    assertThat(update.minuteTotals().latencyBuckets()).isNull();
    assertThat(update.dayTotals().latencyBuckets()).isNull();
    assertThat(update.minuteTotals().calls()).isEqualTo(3);
    assertThat(MAPPER.readTree(MAPPER.writeValueAsString(update))).isEqualTo(json);
  }

  @Test
  void latencyBucketsCarryTheHistogramAndGiveTheP95() {
    MetricUpdate update =
        MAPPER.readValue(
            GoldenSamples.json(GoldenSamples.METRIC_UPDATE_SAMPLE), MetricUpdate.class);

    assertThat(update.minuteTotals().latencyBuckets())
        .hasSize(LatencyBuckets.COUNT)
        .isEqualTo(histogram(1200, 1970, 2950));
    assertThat(LatencyBuckets.quantileMs(update.minuteTotals().latencyBuckets(), 0.95, 2950))
        .isEqualTo(2950L);
    // day: 148 durations, the 141st smallest falls in [2000, 3000)
    assertThat(LatencyBuckets.quantileMs(update.dayTotals().latencyBuckets(), 0.95, 9875))
        .isEqualTo(2999L);
  }

  private static long[] histogram(long... durationsMs) {
    long[] counts = new long[LatencyBuckets.COUNT];
    for (long ms : durationsMs) {
      counts[LatencyBuckets.bucketOf(ms)]++;
    }
    return counts;
  }

  private static long[] dayHistogram() {
    long[] counts = new long[LatencyBuckets.COUNT];
    counts[LatencyBuckets.bucketOf(500)] = 10;
    counts[LatencyBuckets.bucketOf(700)] = 40;
    counts[LatencyBuckets.bucketOf(1000)] = 50;
    counts[LatencyBuckets.bucketOf(1500)] = 30;
    counts[LatencyBuckets.bucketOf(2000)] = 12;
    counts[LatencyBuckets.bucketOf(3000)] = 4;
    counts[LatencyBuckets.bucketOf(7000)] = 2;
    return counts;
  }

  @Test
  void costIsAnExactIntegerOfNanoDollars() {
    MetricUpdate update =
        MAPPER.readValue(
            GoldenSamples.json(GoldenSamples.METRIC_UPDATE_SAMPLE), MetricUpdate.class);

    assertThat(update.minuteTotals().costNanoUsd()).isEqualTo(19_305_000L);
    assertThat(update.dayTotals().costNanoUsd()).isEqualTo(881_682_500L);
  }
}
