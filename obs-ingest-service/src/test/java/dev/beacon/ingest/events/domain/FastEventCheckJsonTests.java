package dev.beacon.ingest.events.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import dev.beacon.events.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fast path never accepts an event that the JSON Schema rejects, and accepts the usual ones.
 */
class FastEventCheckJsonTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static Schema schema;
  private static List<ObjectNode> samples;

  @BeforeAll
  static void load() throws IOException {
    schema = BatchIngestService.loadSchema();
    samples = new ArrayList<>();
    for (EventType type : EventType.values()) {
      String name = type.name().toLowerCase(Locale.ROOT);
      try (InputStream in =
          EventType.class.getResourceAsStream("/dev/beacon/events/samples/" + name + ".json")) {
        samples.add((ObjectNode) JSON.readTree(in));
      }
    }
  }

  private static boolean schemaAccepts(JsonNode event) {
    return Boolean.TRUE.equals(schema.validate(event, OutputFormat.BOOLEAN));
  }

  @Test
  void acceptsEveryGoldenSampleOnTheFastPath() {
    assertThat(samples).hasSize(EventType.values().length);
    assertThat(samples)
        .allSatisfy(sample -> assertThat(FastEventCheck.isCertainlyValid(sample)).isTrue());
  }

  private static final String[] VALUES = {
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.0",
    "1.5",
    "86400001",
    "1000000001",
    "10000.5",
    "1e308",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "[\"\"]",
    "[1]",
    "\"3f2b8c1e-6d4a-4e7b-9a53-1c8e2f7d0b4\"",
    "\"3F2B8C1E-6D4A-4E7B-9A53-1C8E2F7D0B41\"",
    "\"3f2b8c1e-6d4a-4e7b-9a53-1c8e2f7d0b4g\"",
    "\"2026-11-25T09:15:30Z\"",
    "\"2026-11-25t09:15:30z\"",
    "\"2026-02-30T09:15:30Z\"",
    "\"2026-11-25T23:59:60Z\"",
    "\"2026-11-25T09:15:30.1234567891Z\"",
    "\"2026-11-25T09:15:30+24:00\"",
    "\"2026-11-25T09:15:30-00:00\"",
    "\"2026-11-25 09:15:30Z\"",
    "\"0000-01-01T00:00:00Z\"",
    "\"llm_call\"",
    "\"custom\"",
    "\"ok\"",
    "\"error\"",
    "\"approved\"",
    "\"bogus\"",
    "{\"provider\":\"p\",\"model\":\"m\"}",
    "{\"name\":\"n\"}",
    "{\"kind\":\"k\",\"state\":\"failed\"}",
    "{\"name\":\"n\",\"operation\":\"o\"}",
    "{\"provider\":\"\",\"model\":\"m\"}",
  };

  private static final String[] FIELDS = {
    "event_id", "type", "occurred_at", "workspace_id", "agent_id", "run_id", "trace_id", "span_id",
    "parent_span_id", "status", "error", "duration_ms", "llm", "tool", "action", "service",
    "metadata", "tags",
  };

  @Test
  void neverAcceptsWhatTheSchemaRejects() {
    Random random = new Random(42);
    int fastAccepted = 0;
    for (int i = 0; i < 5000; i++) {
      ObjectNode event = samples.get(random.nextInt(samples.size())).deepCopy();
      for (int m = 0, n = 1 + random.nextInt(3); m < n; m++) {
        mutate(random, event);
      }
      if (FastEventCheck.isCertainlyValid(event)) {
        fastAccepted++;
        assertThat(schemaAccepts(event)).as("schema accepts %s", event).isTrue();
      }
    }
    assertThat(fastAccepted).isGreaterThan(100);
  }

  private static void mutate(Random random, ObjectNode event) {
    int choice = random.nextInt(10);
    String field = FIELDS[random.nextInt(FIELDS.length)];
    if (choice == 0) {
      event.remove(field);
    } else if (choice == 1) {
      event.put(field, "x".repeat(random.nextInt(300)));
    } else if (choice == 2 && event.get("llm") instanceof ObjectNode llm) {
      String[] names = {"input_tokens", "cost_usd", "provider", "model", "reasoning_tokens"};
      llm.set(
          names[random.nextInt(names.length)],
          JSON.readTree(VALUES[random.nextInt(VALUES.length)]));
    } else if (choice == 3) {
      ObjectNode metadata = event.putObject("metadata");
      for (int i = 0, n = random.nextInt(70); i < n; i++) {
        metadata.put("k".repeat(1 + random.nextInt(140)) + i, i);
      }
    } else if (choice == 4) {
      ArrayNode tags = event.putArray("tags");
      for (int i = 0, n = random.nextInt(36); i < n; i++) {
        tags.add("t".repeat(random.nextInt(70)));
      }
    } else if (choice == 5 && event.get("action") instanceof ObjectNode action) {
      action.set("state", JSON.readTree(VALUES[random.nextInt(VALUES.length)]));
    } else if (choice == 6) {
      event.set("error", JSON.readTree("{\"type\":\"" + "e".repeat(random.nextInt(300)) + "\"}"));
    } else {
      event.set(field, JSON.readTree(VALUES[random.nextInt(VALUES.length)]));
    }
  }
}
