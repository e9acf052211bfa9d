package dev.beacon.entitlements;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one record value of {@code billing.entitlements.v1} (format in docs/billing.md). Unknown
 * fields are ignored; a missing or malformed required field makes the whole record invalid, so a
 * half-read record never replaces a good one.
 */
final class EntitlementsRecord {

  private static final JsonMapper JSON = JsonMapper.shared();

  /** A workspace's record, read. */
  record Parsed(String workspaceId, Entitlements entitlements) {}

  private EntitlementsRecord() {}

  /**
   * @throws IllegalArgumentException if the value is not a valid record
   */
  static Parsed parse(byte[] value) {
    if (value == null) {
      throw new IllegalArgumentException("the record has no value");
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the value is not JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the value is not a JSON object");
    }
    String workspaceId = text(root, "workspace_id");
    String plan = text(root, "plan");
    JsonNode revision = root.path("revision");
    if (!revision.isIntegralNumber() || !revision.canConvertToLong() || revision.asLong() < 1) {
      throw new IllegalArgumentException("revision is not a positive integer");
    }
    JsonNode limits = root.path("entitlements");
    if (!limits.isObject()) {
      throw new IllegalArgumentException("entitlements is not an object");
    }
    JsonNode hosted = limits.path("hosted_llm_allowed");
    if (!hosted.isMissingNode() && !hosted.isBoolean()) {
      throw new IllegalArgumentException("entitlements.hosted_llm_allowed is not a boolean");
    }
    Entitlements entitlements =
        new Entitlements(
            plan,
            count(limits, "retention_days", 1),
            amount(limits, "events_per_month"),
            count(limits, "alert_rules", 0),
            count(limits, "members", 1),
            count(limits, "api_keys", 0),
            amount(limits, "hosted_credit_allowance"),
            hosted.isMissingNode() || hosted.asBoolean(),
            revision.asLong());
    return new Parsed(workspaceId, entitlements);
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isString() || node.asString().isBlank()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return node.asString();
  }

  private static int count(JsonNode limits, String field, int min) {
    long value = amount(limits, field);
    if (value < min || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("entitlements." + field + " is out of range");
    }
    return (int) value;
  }

  private static long amount(JsonNode limits, String field) {
    JsonNode node = limits.path(field);
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
      throw new IllegalArgumentException(
          "entitlements." + field + " is not a non-negative integer");
    }
    return node.asLong();
  }
}
