package dev.beacon.alert.rule;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the rules API (snake_case on the wire). */
public final class RuleJson {

  private RuleJson() {}

  /**
   * A rule as created, updated or previewed. Thresholds are decimal strings; numbers are accepted
   * too.
   */
  public record RuleRequest(
      String name,
      String metric,
      FiltersJson filters,
      String groupBy,
      String window,
      String comparator,
      String warningThreshold,
      String criticalThreshold,
      Integer minSample,
      String noData,
      List<ChannelJson> channels,
      Integer renotifyMinutes,
      Integer cooldownMinutes,
      Boolean enabled,
      String snoozedUntil) {}

  /** Filters; {@code null} parts match everything. */
  public record FiltersJson(
      String agent, String provider, String model, String tool, String type, String service) {}

  /** A channel as sent by clients and as shown (webhook URL masked). */
  public record ChannelJson(
      String type,
      @JsonInclude(JsonInclude.Include.NON_NULL) String webhookUrl,
      @JsonInclude(JsonInclude.Include.NON_NULL) String to,
      @JsonInclude(JsonInclude.Include.NON_NULL) String status,
      String lastError) {}

  /** A group's state. */
  public record StateJson(String group, String state, String value, Instant since) {}

  /** A rule as returned. */
  public record RuleResponse(
      String id,
      String name,
      String metric,
      FiltersJson filters,
      String groupBy,
      String window,
      String comparator,
      String warningThreshold,
      String criticalThreshold,
      int minSample,
      String noData,
      List<ChannelJson> channels,
      int renotifyMinutes,
      int cooldownMinutes,
      boolean enabled,
      Instant snoozedUntil,
      List<StateJson> states,
      Instant createdAt,
      Instant updatedAt) {}

  /** {@code {"rules": [...]}}. */
  public record RuleList(List<RuleResponse> rules) {}
}
