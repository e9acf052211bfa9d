package dev.beacon.alert.rule;

import dev.beacon.alert.rule.RuleEnums.Comparator;
import dev.beacon.alert.rule.RuleEnums.GroupBy;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.NoData;
import dev.beacon.alert.rule.RuleEnums.Window;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A validated alert rule of one workspace.
 *
 * @param id rule id
 * @param workspaceId owning workspace
 * @param name display name
 * @param metric what is measured
 * @param filters which metric series count
 * @param groupBy one state per group, or {@code null} for one state for the whole rule
 * @param window the period measured
 * @param comparator how values are compared with thresholds
 * @param warningThreshold warning level, or {@code null}
 * @param criticalThreshold critical level, or {@code null}
 * @param minSample fewer calls than this in the window count as no data
 * @param noData what a window without data means
 * @param channels where notifications go
 * @param renotifyMinutes re-send while still breached at this interval; 0 = never
 * @param cooldownMinutes after a resolve, do not fire again for this long
 * @param enabled whether the rule is evaluated
 * @param snoozedUntil no notifications before this instant, or {@code null}
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record Rule(
    UUID id,
    String workspaceId,
    String name,
    Metric metric,
    Filters filters,
    GroupBy groupBy,
    Window window,
    Comparator comparator,
    BigDecimal warningThreshold,
    BigDecimal criticalThreshold,
    int minSample,
    NoData noData,
    List<Channel> channels,
    int renotifyMinutes,
    int cooldownMinutes,
    boolean enabled,
    Instant snoozedUntil,
    Instant createdAt,
    Instant updatedAt) {

  /** Whether notifications are held back at {@code now}. */
  public boolean snoozedAt(Instant now) {
    return snoozedUntil != null && snoozedUntil.isAfter(now);
  }

  /**
   * Which series count for a rule; {@code null} parts match everything.
   *
   * @param agent agent id
   * @param provider LLM provider (implies {@code llm_call})
   * @param model LLM model, {@code provider/model} or the bare model name (implies {@code
   *     llm_call})
   * @param tool tool name (implies {@code tool_call})
   * @param type event type
   * @param service outside service, the first part of a {@code service_call}'s {@code
   *     service/operation} subject (implies {@code service_call})
   */
  public record Filters(
      String agent, String provider, String model, String tool, String type, String service) {

    /** No filter at all. */
    public static Filters none() {
      return new Filters(null, null, null, null, null, null);
    }

    /** Whether a series {@code (agent, type, subject)} is counted. */
    public boolean matches(String seriesAgent, String seriesType, String subject) {
      if (agent != null && !agent.equals(seriesAgent)) {
        return false;
      }
      if (type != null && !type.equals(seriesType)) {
        return false;
      }
      if ((provider != null || model != null) && !"llm_call".equals(seriesType)) {
        return false;
      }
      if (provider != null && !subject.startsWith(provider + "/")) {
        return false;
      }
      if (model != null && !subject.equals(model) && !subject.endsWith("/" + model)) {
        return false;
      }
      if (service != null
          && !("service_call".equals(seriesType) && subject.startsWith(service + "/"))) {
        return false;
      }
      return tool == null || ("tool_call".equals(seriesType) && tool.equals(subject));
    }
  }

  /**
   * A notification channel of a rule and its health.
   *
   * @param id channel id
   * @param type {@code slack}, {@code in_app} or {@code email}
   * @param target webhook URL or e-mail address; {@code null} for in-app
   * @param status {@code ok}, {@code broken} (a permanent error) or {@code disabled} (too many
   *     consecutive failures)
   * @param lastError the last delivery error, or {@code null}
   * @param consecutiveFailures failed deliveries since the last success
   */
  public record Channel(
      UUID id,
      String type,
      String target,
      String status,
      String lastError,
      int consecutiveFailures) {}
}
