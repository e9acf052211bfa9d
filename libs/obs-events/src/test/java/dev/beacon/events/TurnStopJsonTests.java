package dev.beacon.events;

import static dev.beacon.events.GoldenSamples.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class TurnStopJsonTests {

  private static final String RUN = "7d3c9a8e-6b1f-4f0e-9a51-2c8e4b7d1f30";

  @Test
  void goldenTurnStopSurvivesReadWriteReadUnchanged() {
    String json = GoldenSamples.json(GoldenSamples.TURN_STOP_SAMPLE);

    TurnStop stop = MAPPER.readValue(json, TurnStop.class);
    String written = MAPPER.writeValueAsString(stop);

    assertThat(MAPPER.readTree(written)).isEqualTo(MAPPER.readTree(json));
    assertThat(MAPPER.readValue(written, TurnStop.class)).isEqualTo(stop);
  }

  @Test
  void turnStopBuiltInJavaWritesTheGoldenJson() {
    TurnStop stop =
        new TurnStop(
            TurnStop.stopId(RUN, 2),
            "ws_01JD8X3K9Q",
            "0b9f3c1e-5d1a-4a53-9a0e-2f6b8a1c7d42",
            "5e2a7c41-93d8-4b6f-8e0a-1d4c6b9f2e77",
            RUN,
            "4bf92f3577b34da6a3ce929d0e0e4736",
            2,
            TurnStop.IDLE,
            "Understood: I did not send the email.",
            null,
            List.of(
                new TurnStop.Decision(
                    "c1f0d2e3-4a5b-4c6d-8e7f-901a2b3c4d5e",
                    "gmail.send",
                    "rejected",
                    "Not to everyone")),
            List.of(),
            OffsetDateTime.of(2026, 12, 8, 9, 15, 2, 125_000_000, ZoneOffset.UTC));

    assertThat(MAPPER.readTree(MAPPER.writeValueAsString(stop)))
        .isEqualTo(GoldenSamples.tree(GoldenSamples.TURN_STOP_SAMPLE));
  }

  @Test
  void aFailedStopCarriesTheErrorAndReadsWithoutTheOptionalLists() {
    ObjectNode json = GoldenSamples.tree(GoldenSamples.TURN_STOP_SAMPLE);
    json.remove("answer");
    json.remove("decisions");
    json.remove("waiting");
    json.putObject("error").put("type", "turn_interrupted").put("message", "A restart stopped it.");
    json.put("added_later", true);

    TurnStop stop = MAPPER.treeToValue(json, TurnStop.class);

    assertThat(stop.answer()).isNull();
    assertThat(stop.decisions()).isEmpty();
    assertThat(stop.waiting()).isEmpty();
    assertThat(stop.error())
        .isEqualTo(new ErrorDetails("turn_interrupted", "A restart stopped it."));
    assertThat(stop.stopId()).isEqualTo(RUN + ":2");
  }
}
