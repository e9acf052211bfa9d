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
            new MetricTotals(3, 1, 5210, 884, 2048, 0, 19_305_000, 6120, 2950),
            LocalDate.of(2026, 11, 25),
            new MetricTotals(148, 4, 241_377, 40_112, 98_304, 0, 881_682_500, 297_540, 9875));

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
  void costIsAnExactIntegerOfNanoDollars() {
    MetricUpdate update =
        MAPPER.readValue(
            GoldenSamples.json(GoldenSamples.METRIC_UPDATE_SAMPLE), MetricUpdate.class);

    assertThat(update.minuteTotals().costNanoUsd()).isEqualTo(19_305_000L);
    assertThat(update.dayTotals().costNanoUsd()).isEqualTo(881_682_500L);
  }
}
