package dev.beacon.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON Schema accepts every golden sample and rejects each kind of bad input precisely. */
class EventSchemaJsonTests {

  private static Schema schema;

  @BeforeAll
  static void loadSchemaWithFormatAssertions() {
    // Draft 2020-12 treats "format" as an annotation only; ingest relies on it asserting.
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder ->
                builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    try (InputStream in = ObsEvent.class.getResourceAsStream(ObsEvent.SCHEMA_RESOURCE)) {
      schema = registry.getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @FieldSource("dev.beacon.events.GoldenSamples#EVENT_SAMPLES")
  void acceptsGoldenSample(String sample) {
    assertThat(schema.validate(GoldenSamples.tree(sample))).isEmpty();
  }

  @Test
  void schemaIsDraft202012WithAnId() {
    JsonNode schemaJson = schema.getSchemaNode();

    assertThat(schemaJson.get("$schema").asString())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schemaJson.get("$id").asString()).endsWith("/obs-event-v1.schema.json");
  }

  @Test
  void acceptsEventWithOnlyIdTypeAndTime() {
    ObjectNode event = GoldenSamples.MAPPER.createObjectNode();
    event.put("event_id", "f0b2d4c6-8a1e-4f3d-b5c7-9e2a4c6d8f01");
    event.put("type", "custom");
    event.put("occurred_at", "2026-11-25T09:15:29+05:30");

    assertThat(schema.validate(event)).isEmpty();
  }

  @Test
  void acceptsUnknownFieldsAtTopLevelAndInsideBodies() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    event.put("sdk_version", "python/1.4.2");
    ((ObjectNode) event.get("llm")).put("service_tier", "default");

    assertThat(schema.validate(event)).isEmpty();
  }

  @Test
  void acceptsEventWithoutWorkspaceBecauseTheServerSetsIt() {
    ObjectNode event = GoldenSamples.tree("tool_call");
    event.remove("workspace_id");

    assertThat(schema.validate(event)).isEmpty();
  }

  @Test
  void acceptsIdsOfExactly128Characters() {
    ObjectNode event = GoldenSamples.tree("run_start");
    event.put("run_id", "r".repeat(128));

    assertThat(schema.validate(event)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"event_id", "type", "occurred_at"})
  void rejectsEventWithoutRequiredField(String field) {
    ObjectNode event = GoldenSamples.tree("custom");
    event.remove(field);

    assertRejected(event, "required", "required property '" + field + "' not found");
  }

  @ParameterizedTest
  @CsvSource({"llm_call, llm", "tool_call, tool", "action, action", "service_call, service"})
  void rejectsTypedEventWithoutItsBody(String type, String body) {
    ObjectNode event = GoldenSamples.tree(type);
    event.remove(body);

    assertRejected(event, "required", "required property '" + body + "' not found");
  }

  @ParameterizedTest
  @CsvSource({
    "llm_call, llm, provider",
    "llm_call, llm, model",
    "tool_call, tool, name",
    "action, action, kind",
    "action, action, state",
    "service_call, service, name",
    "service_call, service, operation"
  })
  void rejectsBodyWithoutRequiredField(String type, String body, String field) {
    ObjectNode event = GoldenSamples.tree(type);
    ((ObjectNode) event.get(body)).remove(field);

    assertRejected(event, "required", "/" + body, "required property '" + field + "' not found");
  }

  @Test
  void rejectsUnknownEventType() {
    ObjectNode event = GoldenSamples.tree("custom");
    event.put("type", "llm_calls");

    assertRejected(event, "enum", "/type", "does not have a value in the enumeration");
  }

  @Test
  void rejectsUnknownStatus() {
    ObjectNode event = GoldenSamples.tree("run_end");
    event.put("status", "success");

    assertRejected(event, "enum", "/status");
  }

  @Test
  void rejectsUnknownActionState() {
    ObjectNode event = GoldenSamples.tree("action");
    ((ObjectNode) event.get("action")).put("state", "pending");

    assertRejected(event, "enum", "/action/state");
  }

  @Test
  void rejectsTokenCountGivenAsString() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    ((ObjectNode) event.get("llm")).put("input_tokens", "1850");

    assertRejected(event, "type", "/llm/input_tokens", "string found, integer expected");
  }

  @Test
  void rejectsFractionalTokenCount() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    ((ObjectNode) event.get("llm")).put("output_tokens", 3.5);

    assertRejected(event, "type", "/llm/output_tokens", "integer expected");
  }

  @Test
  void rejectsDurationGivenAsString() {
    ObjectNode event = GoldenSamples.tree("run_end");
    event.put("duration_ms", "8423ms");

    assertRejected(event, "type", "/duration_ms", "integer expected");
  }

  @Test
  void rejectsTagsGivenAsOneString() {
    ObjectNode event = GoldenSamples.tree("custom");
    event.put("tags", "rag,kb");

    assertRejected(event, "type", "/tags", "array expected");
  }

  @Test
  void rejectsMetadataGivenAsArray() {
    ObjectNode event = GoldenSamples.tree("custom");
    event.putArray("metadata").add("retrieval.hit");

    assertRejected(event, "type", "/metadata", "object expected");
  }

  @Test
  void rejectsBodyGivenAsString() {
    ObjectNode event = GoldenSamples.tree("tool_call");
    event.put("tool", "slack.post_message");

    assertRejected(event, "type", "/tool", "object expected");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"workspace_id", "agent_id", "run_id", "trace_id", "span_id", "parent_span_id"})
  void rejectsIdLongerThan128Characters(String field) {
    ObjectNode event = GoldenSamples.tree("llm_call");
    event.put(field, "x".repeat(129));

    assertRejected(event, "maxLength", "/" + field, "must be at most 128 characters long");
  }

  @Test
  void rejectsEmptyAgentId() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    event.put("agent_id", "");

    assertRejected(event, "minLength", "/agent_id");
  }

  @ParameterizedTest
  @CsvSource({
    "llm_call, llm, provider",
    "llm_call, llm, model",
    "tool_call, tool, name",
    "tool_call, tool, integration",
    "action, action, kind",
    "service_call, service, name",
    "service_call, service, operation",
    "service_call, error, type"
  })
  void rejectsNameLongerThan256Characters(String type, String body, String field) {
    ObjectNode event = GoldenSamples.tree(type);
    ((ObjectNode) event.get(body)).put(field, "n".repeat(257));

    assertRejected(
        event, "maxLength", "/" + body + "/" + field, "must be at most 256 characters long");
  }

  @Test
  void rejectsErrorMessageLongerThan4096Characters() {
    ObjectNode event = GoldenSamples.tree("service_call");
    ((ObjectNode) event.get("error")).put("message", "m".repeat(4097));

    assertRejected(event, "maxLength", "/error/message", "must be at most 4096 characters long");
  }

  @Test
  void acceptsErrorMessageOfExactly4096Characters() {
    ObjectNode event = GoldenSamples.tree("service_call");
    ((ObjectNode) event.get("error")).put("message", "m".repeat(4096));

    assertThat(schema.validate(event)).isEmpty();
  }

  @Test
  void rejectsTagLongerThan64Characters() {
    ObjectNode event = GoldenSamples.tree("custom");
    ((ArrayNode) event.get("tags")).add("t".repeat(65));

    assertRejected(event, "maxLength", "/tags/2", "must be at most 64 characters long");
  }

  @Test
  void rejectsEmptyTag() {
    ObjectNode event = GoldenSamples.tree("custom");
    ((ArrayNode) event.get("tags")).add("");

    assertRejected(event, "minLength", "/tags/2");
  }

  @Test
  void rejectsMoreThan32Tags() {
    ObjectNode event = GoldenSamples.tree("custom");
    ArrayNode tags = event.putArray("tags");
    for (int i = 0; i < 33; i++) {
      tags.add("tag-" + i);
    }

    assertRejected(event, "maxItems", "/tags", "must have at most 32 items but found 33");
  }

  @Test
  void rejectsMetadataWithMoreThan64Properties() {
    ObjectNode event = GoldenSamples.tree("custom");
    ObjectNode metadata = event.putObject("metadata");
    for (int i = 0; i < 65; i++) {
      metadata.put("key_" + i, i);
    }

    assertRejected(event, "maxProperties", "/metadata", "must have at most 64 properties");
  }

  @Test
  void rejectsMetadataKeyLongerThan128Characters() {
    ObjectNode event = GoldenSamples.tree("custom");
    ((ObjectNode) event.get("metadata")).put("k".repeat(129), 1);

    assertRejected(event, "propertyNames", "/metadata", "name is not valid");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-25T09:15:30.123",
        "2026-11-25 09:15:30Z",
        "2026-11-25",
        "yesterday at noon",
        "2026-13-25T09:15:30Z",
        "1795598130"
      })
  void rejectsOccurredAtThatIsNotAnRfc3339TimestampWithOffset(String occurredAt) {
    ObjectNode event = GoldenSamples.tree("llm_call");
    event.put("occurred_at", occurredAt);

    assertRejected(event, "format", "/occurred_at", "must be a valid RFC 3339 date-time");
  }

  @Test
  void rejectsOccurredAtGivenAsEpochNumber() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    event.put("occurred_at", 1_795_598_130_123L);

    assertRejected(event, "type", "/occurred_at", "string expected");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "evt-123",
        "3f2b8c1e-6d4a-4e7b-9a53-1c8e2f7d0b4",
        "3f2b8c1e-6d4a-4e7b-9a53_1c8e2f7d0b41",
        "zf2b8c1e-6d4a-4e7b-9a53-1c8e2f7d0b41"
      })
  void rejectsEventIdThatIsNotAUuid(String eventId) {
    ObjectNode event = GoldenSamples.tree("llm_call");
    event.put("event_id", eventId);

    assertRejected(event, "format", "/event_id", "must be a valid RFC 4122 UUID");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"input_tokens", "output_tokens", "cached_input_tokens", "reasoning_tokens"})
  void rejectsNegativeTokenCount(String field) {
    ObjectNode event = GoldenSamples.tree("llm_call");
    ((ObjectNode) event.get("llm")).put(field, -1);

    assertRejected(event, "minimum", "/llm/" + field, "must have a minimum value of 0");
  }

  @Test
  void rejectsTokenCountAboveOneBillion() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    ((ObjectNode) event.get("llm")).put("input_tokens", 1_000_000_001L);

    assertRejected(
        event, "maximum", "/llm/input_tokens", "must have a maximum value of 1000000000");
  }

  @Test
  void rejectsNegativeDuration() {
    ObjectNode event = GoldenSamples.tree("run_end");
    event.put("duration_ms", -5);

    assertRejected(event, "minimum", "/duration_ms", "must have a minimum value of 0");
  }

  @Test
  void rejectsDurationLongerThanOneDay() {
    ObjectNode event = GoldenSamples.tree("run_end");
    event.put("duration_ms", 86_400_001L);

    assertRejected(event, "maximum", "/duration_ms", "must have a maximum value of 86400000");
  }

  @Test
  void rejectsNegativeCost() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    ((ObjectNode) event.get("llm")).put("cost_usd", -0.01);

    assertRejected(event, "minimum", "/llm/cost_usd", "must have a minimum value of 0");
  }

  @Test
  void rejectsCostAboveTenThousandDollars() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    ((ObjectNode) event.get("llm")).put("cost_usd", 10_000.01);

    assertRejected(event, "maximum", "/llm/cost_usd", "must have a maximum value of 10000");
  }

  @Test
  void reportsEveryViolationInOneEventNotJustTheFirst() {
    ObjectNode event = GoldenSamples.tree("llm_call");
    event.put("event_id", "evt-123");
    event.put("agent_id", "x".repeat(129));
    ((ObjectNode) event.get("llm")).put("input_tokens", -1);

    assertThat(schema.validate(event))
        .extracting(error -> error.getInstanceLocation().toString())
        .containsExactlyInAnyOrder("/event_id", "/agent_id", "/llm/input_tokens");
  }

  /**
   * Asserts the event breaks exactly one rule, of the given keyword, and that the reported error
   * (location plus message) mentions every expected fragment, such as the field's path.
   */
  private static void assertRejected(JsonNode event, String keyword, String... mentions) {
    List<Error> errors = schema.validate(event);

    assertThat(errors)
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.getKeyword()).isEqualTo(keyword);
              assertThat(error.toString()).contains(mentions);
            });
  }
}
