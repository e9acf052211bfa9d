package dev.beacon.events;

import static dev.beacon.events.GoldenSamples.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ObsEventJsonTests {

  @ParameterizedTest
  @FieldSource("dev.beacon.events.GoldenSamples#EVENT_SAMPLES")
  void goldenEventSurvivesReadWriteReadUnchanged(String sample) {
    String json = GoldenSamples.json(sample);

    ObsEvent event = MAPPER.readValue(json, ObsEvent.class);
    String written = MAPPER.writeValueAsString(event);

    assertThat(MAPPER.readTree(written)).isEqualTo(MAPPER.readTree(json));
    assertThat(MAPPER.readValue(written, ObsEvent.class)).isEqualTo(event);
  }

  @ParameterizedTest
  @FieldSource("dev.beacon.events.GoldenSamples#EVENT_SAMPLES")
  void goldenSampleIsNamedAfterItsEventType(String sample) {
    ObsEvent event = MAPPER.readValue(GoldenSamples.json(sample), ObsEvent.class);

    assertThat(MAPPER.writeValueAsString(event.type())).isEqualTo("\"" + sample + "\"");
  }

  @Test
  void llmCallBuiltInJavaWritesTheGoldenJson() {
    ObsEvent event =
        new ObsEvent(
            UUID.fromString("3f2b8c1e-6d4a-4e7b-9a53-1c8e2f7d0b41"),
            EventType.LLM_CALL,
            OffsetDateTime.of(2026, 11, 25, 9, 15, 30, 123_000_000, ZoneOffset.UTC),
            "ws_01JD8X3K9Q",
            "support-bot",
            "run_01JD8X4T7M2ZC5",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            "b7ad6b7169203331",
            EventStatus.OK,
            null,
            2184L,
            new LlmDetails("openai", "gpt-4o", 1850L, 312L, 1024L, 0L, new BigDecimal("0.006465")),
            null,
            null,
            null,
            Map.of("conversation_id", "conv_8812", "temperature", 0.2, "tool_loop_iteration", 1),
            List.of("chat", "production"));

    JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(event));

    assertThat(written).isEqualTo(GoldenSamples.tree("llm_call"));
    assertThat(MAPPER.treeToValue(written, ObsEvent.class)).isEqualTo(event);
  }

  @Test
  void occurredAtKeepsTheOffsetTheClientSent() {
    ObsEvent event = MAPPER.readValue(GoldenSamples.json("tool_call"), ObsEvent.class);

    assertThat(event.occurredAt().getOffset()).isEqualTo(ZoneOffset.ofHours(1));
    assertThat(MAPPER.readTree(MAPPER.writeValueAsString(event)).get("occurred_at").asString())
        .isEqualTo("2026-11-25T10:15:32.406+01:00");
  }

  @Test
  void unknownTopLevelAndNestedFieldsAreIgnoredOnRead() {
    ObjectNode json = GoldenSamples.tree("llm_call");
    json.put("sdk_version", "python/1.4.2");
    json.putObject("resource").put("host", "worker-3");
    ((ObjectNode) json.get("llm")).put("service_tier", "default");
    ((ObjectNode) json.get("llm")).putArray("modalities").add("text");

    ObsEvent event = MAPPER.treeToValue(json, ObsEvent.class);

    assertThat(event).isEqualTo(MAPPER.readValue(GoldenSamples.json("llm_call"), ObsEvent.class));
  }

  @ParameterizedTest
  @CsvSource({"tool_call, tool", "action, action", "service_call, service"})
  void unknownFieldsInsideATypeBodyAreIgnoredOnRead(String sample, String body) {
    ObjectNode json = GoldenSamples.tree(sample);
    ((ObjectNode) json.get(body)).put("added_in_a_later_version", true);

    assertThat(MAPPER.treeToValue(json, ObsEvent.class))
        .isEqualTo(MAPPER.readValue(GoldenSamples.json(sample), ObsEvent.class));
  }

  @Test
  void unknownFieldsInsideTheErrorAreIgnoredOnRead() {
    ObjectNode json = GoldenSamples.tree("service_call");
    ((ObjectNode) json.get("error")).put("retry_after_ms", 2000);

    assertThat(MAPPER.treeToValue(json, ObsEvent.class).error())
        .isEqualTo(
            new ErrorDetails(
                "rate_limited", "Stripe answered 429 Too Many Requests; retry after 2 s"));
  }

  @Test
  void absentOptionalFieldsAreLeftOutInsteadOfWrittenAsNull() {
    ObsEvent minimal =
        new ObsEvent(
            UUID.fromString("f0b2d4c6-8a1e-4f3d-b5c7-9e2a4c6d8f01"),
            EventType.CUSTOM,
            OffsetDateTime.of(2026, 11, 25, 9, 0, 0, 0, ZoneOffset.UTC),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new LlmDetails("openai", "gpt-4o", null, null, null, null, null),
            null,
            null,
            null,
            null,
            null);

    JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(minimal));

    assertThat(written.propertyNames()).containsExactly("event_id", "type", "occurred_at", "llm");
    assertThat(written.get("llm").propertyNames()).containsExactly("provider", "model");
  }

  @Test
  void enumsAreWrittenAsLowercaseSnakeCase() {
    assertThat(MAPPER.writeValueAsString(EventType.SERVICE_CALL)).isEqualTo("\"service_call\"");
    assertThat(MAPPER.writeValueAsString(EventType.RUN_START)).isEqualTo("\"run_start\"");
    assertThat(MAPPER.writeValueAsString(EventStatus.ERROR)).isEqualTo("\"error\"");
    assertThat(MAPPER.writeValueAsString(ActionState.APPROVED)).isEqualTo("\"approved\"");
  }

  @Test
  void approvedActionSampleReadsAsApprovedState() {
    ObsEvent event = MAPPER.readValue(GoldenSamples.json("action"), ObsEvent.class);

    assertThat(event.action()).isEqualTo(new ActionDetails("send_email", ActionState.APPROVED));
  }

  @Test
  void clientReportedCostKeepsEveryDecimalDigit() {
    ObsEvent event = MAPPER.readValue(GoldenSamples.json("llm_call"), ObsEvent.class);

    assertThat(event.llm().costUsd()).isEqualByComparingTo("0.006465");
  }

  @Test
  void serverStampedWorkspaceReplacesOnlyTheWorkspace() {
    ObsEvent fromClient = MAPPER.readValue(GoldenSamples.json("llm_call"), ObsEvent.class);

    ObsEvent stamped = fromClient.withWorkspaceId("ws_from_api_key");

    assertThat(stamped.workspaceId()).isEqualTo("ws_from_api_key");
    assertThat(stamped)
        .usingRecursiveComparison()
        .ignoringFields("workspaceId")
        .isEqualTo(fromClient);
  }
}
