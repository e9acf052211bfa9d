package dev.beacon.ingest.apikey.domain;

import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.beacon.events.ObsEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which values a key's {@code agent_id} may take: exactly those an event's {@code agent_id} may
 * take. The rule is read from the event contract's JSON Schema ({@code $defs/id}), the same
 * definition intake validates every event against, so the two cannot drift apart.
 */
public final class AgentIds {

  private static final JsonNode ID_DEFINITION = idDefinition();
  private static final Schema ID =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(ID_DEFINITION);

  /** What a valid id is, for error messages: "a string of 1 to 128 characters". */
  public static final String DESCRIPTION =
      "a string of "
          + ID_DEFINITION.path("minLength").asInt()
          + " to "
          + ID_DEFINITION.path("maxLength").asInt()
          + " characters";

  private AgentIds() {}

  /** Whether {@code value} is a valid agent id; JSON {@code null} and non-strings are not. */
  public static boolean isValid(JsonNode value) {
    return value != null
        && value.isString()
        && Boolean.TRUE.equals(ID.validate(value, OutputFormat.BOOLEAN));
  }

  private static JsonNode idDefinition() {
    try (InputStream in = ObsEvent.class.getResourceAsStream(ObsEvent.SCHEMA_RESOURCE)) {
      JsonNode id = JsonMapper.shared().readTree(in).at("/$defs/id");
      if (!id.isObject()) {
        throw new IllegalStateException(ObsEvent.SCHEMA_RESOURCE + " has no $defs/id");
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
