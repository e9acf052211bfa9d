package dev.beacon.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.beacon.events.ObsEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The demo data is valid v1 events, realistic in shape, and the same for the same seed. */
class SyntheticEventsJsonTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static Schema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    SchemaRegistry registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder ->
                builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    try (InputStream in = ObsEvent.class.getResourceAsStream(ObsEvent.SCHEMA_RESOURCE)) {
      schema = registry.getSchema(in);
    }
  }

  @Test
  void everyEventOfADayIsValidAgainstTheSchema() {
    Instant end = Instant.parse("2026-11-25T12:00:00Z");
    List<Map<String, Object>> events = new SyntheticEvents(42).history(end, Duration.ofHours(24));

    assertThat(events).hasSizeGreaterThan(2000);
    assertThat(events)
        .allSatisfy(event -> assertThat(schema.validate(JSON.valueToTree(event))).isEmpty());
    assertThat(events)
        .allSatisfy(
            event ->
                assertThat(Instant.parse((String) event.get("occurred_at")))
                    .isBetween(end.minus(Duration.ofHours(25)), end));
  }

  @Test
  void coversEveryTypeSeveralAgentsAndSomeErrors() {
    List<Map<String, Object>> events =
        new SyntheticEvents(42)
            .history(Instant.parse("2026-11-25T12:00:00Z"), Duration.ofHours(24));

    Set<Object> types = events.stream().map(e -> e.get("type")).collect(Collectors.toSet());
    assertThat(types).contains("llm_call", "tool_call", "action", "run_start", "run_end");
    assertThat(events.stream().map(e -> e.get("agent_id")).distinct().count()).isEqualTo(5);
    assertThat(events.stream().filter(e -> "error".equals(e.get("status"))).count()).isPositive();
  }

  @Test
  void sameSeedGivesTheSameEventIds() {
    Instant end = Instant.parse("2026-11-25T12:00:00Z");
    List<Object> first =
        new SyntheticEvents(7)
            .history(end, Duration.ofHours(2)).stream().map(e -> e.get("event_id")).toList();
    List<Object> second =
        new SyntheticEvents(7)
            .history(end, Duration.ofHours(2)).stream().map(e -> e.get("event_id")).toList();

    assertThat(first).isNotEmpty().isEqualTo(second);
  }
}
