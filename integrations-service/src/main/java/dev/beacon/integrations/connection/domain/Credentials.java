package dev.beacon.integrations.connection.domain;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The secrets a tool calls its provider with: an OAuth connection's access token ({@link
 * #ACCESS_TOKEN}), a credential connection's fields ({@code api_key}, {@code api_secret}, {@code
 * bot_token} …), or Beacon's own key for a provider. Never printed: {@link #toString} names only
 * the fields.
 */
public final class Credentials {

  /** The one field of an OAuth connection's credentials. */
  public static final String ACCESS_TOKEN = "access_token";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, String> fields;

  private Credentials(Map<String, String> fields) {
    this.fields = Map.copyOf(fields);
  }

  public static Credentials of(Map<String, String> fields) {
    return new Credentials(fields);
  }

  public static Credentials accessToken(String token) {
    return new Credentials(Map.of(ACCESS_TOKEN, token));
  }

  /** The field's value; a field the credentials do not have is a programming error. */
  public String get(String field) {
    String value = fields.get(field);
    if (value == null) {
      throw new IllegalStateException("the credentials have no " + field);
    }
    return value;
  }

  /** Every secret value, for scrubbing them out of a provider's answer. */
  public Collection<String> values() {
    return fields.values();
  }

  Map<String, String> fields() {
    return fields;
  }

  /** The JSON object that is sealed and stored. */
  String toJson() {
    return JSON.writeValueAsString(new LinkedHashMap<>(fields));
  }

  static Credentials fromJson(String json) {
    return new Credentials(JSON.readValue(json, new TypeReference<Map<String, String>>() {}));
  }

  @Override
  public String toString() {
    return "Credentials" + fields.keySet();
  }
}
