package dev.beacon.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Loads the golden JSON samples from the classpath, as other modules' tests do. */
final class GoldenSamples {

  /** The event samples, one per {@link EventType}, named by the type's JSON value. */
  static final List<String> EVENT_SAMPLES =
      List.of("llm_call", "tool_call", "action", "service_call", "run_start", "run_end", "custom");

  static final String METRIC_UPDATE_SAMPLE = "metric_update";

  static final String TURN_STOP_SAMPLE = "turn_stop";

  /**
   * Strict about unknown properties, so a passing test proves the records' own annotations tolerate
   * them; keeps the offset of {@code occurred_at} as written instead of moving it to UTC.
   */
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .build();

  private GoldenSamples() {}

  static String json(String sample) {
    String resource = "/dev/beacon/events/samples/" + sample + ".json";
    try (InputStream in = GoldenSamples.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample on the classpath at " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(String sample) {
    return (ObjectNode) MAPPER.readTree(json(sample));
  }
}
