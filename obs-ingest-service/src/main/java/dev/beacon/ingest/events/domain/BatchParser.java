package dev.beacon.ingest.events.domain;

import dev.beacon.identity.error.ApiException;
import dev.beacon.ingest.config.IngestProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Parses {@code {"batch": [event, …]}} from a bounded body, with Jackson's stream constraints
 * (nesting depth, string and number length) so that hostile JSON fails fast with 400 instead of
 * exhausting the stack or the heap. Each event's size is measured from the parser's byte offsets,
 * without serialising it again.
 *
 * <p>A duplicate property name anywhere is malformed JSON. Inside values the tree builder finds
 * them ({@code FAIL_ON_READING_DUP_TREE_KEY}: the map it fills already says whether a name was
 * there, so this costs nothing); the body's own names are checked here. The parser's {@code
 * STRICT_DUPLICATE_DETECTION} did the same with a set of names per object, about 15 % of intake's
 * CPU.
 */
class BatchParser {

  private final ObjectMapper json;
  private final int maxEvents;

  BatchParser(ObjectMapper json, IngestProperties.Limits limits) {
    this.json = json;
    this.maxEvents = limits.maxEventsPerBatch();
  }

  List<RawEvent> parse(byte[] body) {
    List<RawEvent> events = null;
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("The body must be a JSON object {\"batch\": [...]}.");
      }
      Set<String> names = new HashSet<>();
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        if (!names.add(name)) {
          throw malformed("Malformed JSON: duplicate property \"" + name + "\" in the body.");
        }
        JsonToken value = parser.nextToken();
        if ("batch".equals(name)) {
          if (value != JsonToken.START_ARRAY) {
            throw new ApiException(
                HttpStatus.BAD_REQUEST, "invalid_batch", "\"batch\" must be an array of events.");
          }
          events = readEvents(parser);
        } else {
          // read, not skipped: the tree is what finds duplicate names inside it
          json.readTree(parser);
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw malformed("The body must hold exactly one JSON object.");
      }
    } catch (StreamConstraintsException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "json_limits_exceeded",
          "The JSON exceeds a limit (nesting depth, string or number length): "
              + e.getOriginalMessage());
    } catch (JacksonException e) {
      throw malformed("Malformed JSON: " + e.getOriginalMessage());
    }
    if (events == null || events.isEmpty()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "empty_batch",
          "The body has no events: send {\"batch\": [event, ...]}.");
    }
    return events;
  }

  private List<RawEvent> readEvents(JsonParser parser) {
    List<RawEvent> events = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (parser.currentToken() == null) {
        throw malformed("Malformed JSON: unexpected end of input.");
      }
      if (events.size() == maxEvents) {
        throw new ApiException(
            HttpStatus.CONTENT_TOO_LARGE,
            "too_many_events",
            "A batch holds at most " + maxEvents + " events.");
      }
      long start = parser.currentTokenLocation().getByteOffset();
      JsonNode node = json.readTree(parser);
      long end = parser.currentLocation().getByteOffset();
      events.add(new RawEvent(events.size(), node, (int) start, end - start));
    }
    return events;
  }

  private static ApiException malformed(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "malformed_json", truncate(message));
  }

  private static String truncate(String message) {
    return message.length() > 300 ? message.substring(0, 300) + "…" : message;
  }
}
