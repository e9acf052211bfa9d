package dev.beacon.ingest.otlp.domain;

import dev.beacon.identity.error.ApiException;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Request-level rules shared by both decoders. */
final class SpanLimits {

  private SpanLimits() {}

  /** The JSON intake's {@code max-events-per-batch} bounds the spans of one export. */
  static void checkCount(int spans, int maxSpans) {
    if (spans > maxSpans) {
      throw new ApiException(
          HttpStatus.CONTENT_TOO_LARGE,
          "too_many_events",
          "An export request holds at most " + maxSpans + " spans.");
    }
  }

  /** JSON has no NaN or infinities: those travel as their names. */
  static JsonNode doubleNode(double value) {
    return Double.isFinite(value)
        ? JsonNodeFactory.instance.numberNode(value)
        : JsonNodeFactory.instance.stringNode(Double.toString(value));
  }
}
