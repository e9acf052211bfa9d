package dev.beacon.alert.rule;

import dev.beacon.alert.rule.Rule.Channel;
import dev.beacon.alert.rule.Rule.Filters;
import dev.beacon.alert.rule.RuleEnums.Comparator;
import dev.beacon.alert.rule.RuleEnums.GroupBy;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.NoData;
import dev.beacon.alert.rule.RuleEnums.Window;
import dev.beacon.alert.rule.RuleJson.ChannelJson;
import dev.beacon.alert.rule.RuleJson.FiltersJson;
import dev.beacon.alert.rule.RuleJson.RuleRequest;
import dev.beacon.identity.error.ApiException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Turns a rule request into a {@link Rule}, or fails with the documented 400 code. */
public final class RuleValidator {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Set<String> EVENT_TYPES =
      Set.of("llm_call", "tool_call", "action", "service_call", "run_start", "run_end", "custom");
  private static final BigDecimal MAX_THRESHOLD = new BigDecimal("1e15");
  private static final int MAX_CHANNELS = 10;
  private static final int MAX_MINUTES = 60 * 24 * 30;

  private final SlackUrlPolicy slackUrls;

  public RuleValidator(SlackUrlPolicy slackUrls) {
    this.slackUrls = slackUrls;
  }

  /**
   * Validates a request.
   *
   * @param request the body
   * @param id the rule's id
   * @param workspaceId the caller's workspace
   * @param existing the rule being updated (its unmasked channel targets are kept when the client
   *     sends back the masked URL), or {@code null}
   * @param now the current time
   */
  public Rule validate(
      RuleRequest request, UUID id, String workspaceId, Rule existing, Instant now) {
    if (request == null) {
      throw ApiException.badRequest("invalid_request", "A rule JSON body is required.");
    }
    String name = request.name() == null ? "" : request.name().strip();
    if (name.isEmpty() || name.length() > 200) {
      throw ApiException.badRequest("invalid_name", "name is required and at most 200 characters.");
    }
    Metric metric = RuleEnums.parse(Metric.class, request.metric());
    if (metric == null) {
      throw ApiException.badRequest(
          "invalid_metric",
          "metric must be one of cost_usd, tokens, calls, errors, error_rate, latency_p95_ms,"
              + " no_events, projected_month_cost_usd.");
    }
    Window window = RuleEnums.parse(Window.class, request.window());
    if (window == null) {
      throw ApiException.badRequest(
          "invalid_window", "window must be one of 5m, 15m, 1h, 24h, day, month.");
    }
    if (metric == Metric.PROJECTED_MONTH_COST_USD && window != Window.MONTH) {
      throw ApiException.badRequest(
          "invalid_window", "projected_month_cost_usd is measured over the window month.");
    }
    if (metric == Metric.NO_EVENTS && window.rolling() == null) {
      throw ApiException.badRequest(
          "invalid_window", "no_events needs a rolling window: 5m, 15m, 1h or 24h.");
    }
    Comparator comparator =
        request.comparator() == null
            ? Comparator.GT
            : RuleEnums.parse(Comparator.class, request.comparator());
    if (comparator == null) {
      throw ApiException.badRequest(
          "invalid_comparator", "comparator must be one of gt, gte, lt, lte.");
    }
    GroupBy groupBy = null;
    if (request.groupBy() != null && !request.groupBy().isEmpty()) {
      groupBy = RuleEnums.parse(GroupBy.class, request.groupBy());
      if (groupBy == null) {
        throw ApiException.badRequest(
            "invalid_group_by",
            "group_by must be null or one of agent, model, provider, tool, service.");
      }
    }
    if (metric == Metric.PROJECTED_MONTH_COST_USD && groupBy != null) {
      throw ApiException.badRequest(
          "invalid_group_by", "projected_month_cost_usd is computed for the whole workspace.");
    }
    Filters filters = filters(request.filters(), groupBy);
    BigDecimal warning = threshold("warning_threshold", request.warningThreshold());
    BigDecimal critical = threshold("critical_threshold", request.criticalThreshold());
    if (warning == null && critical == null) {
      throw ApiException.badRequest(
          "invalid_threshold",
          "At least one of warning_threshold and critical_threshold is required.");
    }
    if (warning != null
        && critical != null
        && !comparator.breaches(critical, warning)
        && critical.compareTo(warning) != 0) {
      throw ApiException.badRequest(
          "invalid_threshold",
          "critical_threshold must be beyond warning_threshold in the comparator's direction.");
    }
    int minSample = request.minSample() == null ? 0 : request.minSample();
    if (minSample < 0 || minSample > 1_000_000_000) {
      throw ApiException.badRequest(
          "invalid_min_sample", "min_sample must be between 0 and 1000000000.");
    }
    NoData noData =
        request.noData() == null ? NoData.IGNORE : RuleEnums.parse(NoData.class, request.noData());
    if (noData == null) {
      throw ApiException.badRequest("invalid_no_data", "no_data must be one of ignore, ok, alert.");
    }
    int renotify = request.renotifyMinutes() == null ? 60 : request.renotifyMinutes();
    if (renotify < 0 || renotify > MAX_MINUTES) {
      throw ApiException.badRequest(
          "invalid_renotify",
          "renotify_minutes must be between 0 (never) and " + MAX_MINUTES + ".");
    }
    int cooldown = request.cooldownMinutes() == null ? 5 : request.cooldownMinutes();
    if (cooldown < 0 || cooldown > MAX_MINUTES) {
      throw ApiException.badRequest(
          "invalid_cooldown", "cooldown_minutes must be between 0 and " + MAX_MINUTES + ".");
    }
    Instant snoozedUntil = null;
    if (request.snoozedUntil() != null && !request.snoozedUntil().isEmpty()) {
      try {
        snoozedUntil = OffsetDateTime.parse(request.snoozedUntil()).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest(
            "invalid_snoozed_until", "snoozed_until must be an RFC 3339 timestamp or null.");
      }
    }
    List<Channel> channels = channels(request.channels(), existing);
    return new Rule(
        id,
        workspaceId,
        name,
        metric,
        filters,
        groupBy,
        window,
        comparator,
        warning,
        critical,
        minSample,
        noData,
        channels,
        renotify,
        cooldown,
        request.enabled() == null || request.enabled(),
        snoozedUntil,
        existing == null ? now : existing.createdAt(),
        now);
  }

  private static Filters filters(FiltersJson json, GroupBy groupBy) {
    if (json == null) {
      json = new FiltersJson(null, null, null, null, null, null);
    }
    String agent = blankToNull(json.agent());
    String provider = blankToNull(json.provider());
    String model = blankToNull(json.model());
    String tool = blankToNull(json.tool());
    String type = blankToNull(json.type());
    String service = blankToNull(json.service());
    for (String value : new String[] {agent, provider, model, tool, service}) {
      if (value != null && value.length() > 200) {
        throw ApiException.badRequest(
            "invalid_filter", "Filter values are at most 200 characters.");
      }
    }
    if (type != null && !EVENT_TYPES.contains(type)) {
      throw ApiException.badRequest(
          "invalid_filter", "filters.type must be an event type, e.g. llm_call.");
    }
    boolean llmOnly =
        provider != null
            || model != null
            || groupBy == GroupBy.MODEL
            || groupBy == GroupBy.PROVIDER;
    boolean toolOnly = tool != null || groupBy == GroupBy.TOOL;
    boolean serviceOnly = service != null || groupBy == GroupBy.SERVICE;
    int implied = (llmOnly ? 1 : 0) + (toolOnly ? 1 : 0) + (serviceOnly ? 1 : 0);
    if (implied > 1
        || llmOnly && type != null && !type.equals("llm_call")
        || toolOnly && type != null && !type.equals("tool_call")
        || serviceOnly && type != null && !type.equals("service_call")) {
      throw ApiException.badRequest(
          "invalid_filter",
          "provider/model filters and groupings imply type llm_call, tool implies tool_call,"
              + " service implies service_call; they cannot be combined.");
    }
    return new Filters(agent, provider, model, tool, type, service);
  }

  private static BigDecimal threshold(String field, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      BigDecimal value = new BigDecimal(text.strip());
      if (value.abs().compareTo(MAX_THRESHOLD) > 0 || value.scale() > 9) {
        throw ApiException.badRequest(
            "invalid_threshold", field + " must be a decimal with at most 9 fraction digits.");
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "invalid_threshold", field + " must be a decimal string, e.g. \"10.00\".");
    }
  }

  private List<Channel> channels(List<ChannelJson> json, Rule existing) {
    if (json == null || json.isEmpty()) {
      throw ApiException.badRequest("invalid_channels", "At least one channel is required.");
    }
    if (json.size() > MAX_CHANNELS) {
      throw ApiException.badRequest("invalid_channels", "At most " + MAX_CHANNELS + " channels.");
    }
    List<Channel> channels = new ArrayList<>();
    java.util.Set<UUID> used = new java.util.HashSet<>();
    for (ChannelJson channel : json) {
      if (channel == null || channel.type() == null) {
        throw ApiException.badRequest(
            "invalid_channel", "Each channel needs a type: slack, in_app or email.");
      }
      String target =
          switch (channel.type()) {
            case "slack" -> slackTarget(channel.webhookUrl(), existing);
            case "email" -> emailTarget(channel.to());
            case "in_app" -> null;
            default ->
                throw ApiException.badRequest(
                    "invalid_channel", "Channel type must be one of slack, in_app, email.");
          };
      Channel kept = keep(existing, channel.type(), target);
      channels.add(
          kept != null && used.add(kept.id())
              ? new Channel(kept.id(), channel.type(), target, "ok", null, 0)
              : new Channel(UUID.randomUUID(), channel.type(), target, "ok", null, 0));
    }
    return channels;
  }

  private String slackTarget(String url, Rule existing) {
    if (existing != null && url != null) {
      for (Channel channel : existing.channels()) {
        if ("slack".equals(channel.type()) && url.equals(SlackUrlPolicy.mask(channel.target()))) {
          return channel.target();
        }
      }
    }
    String problem = slackUrls.problem(url);
    if (problem != null) {
      throw ApiException.badRequest("invalid_slack_url", problem);
    }
    return url;
  }

  /**
   * Whether {@code to} is one address an e-mail can go to: one {@code @}, a dotted domain, no
   * whitespace (so no line break that could add a header), at most 254 characters. Rules' e-mail
   * channels and billing notices' {@code email_to} are held to the same check.
   */
  public static boolean isEmailAddress(String to) {
    return to != null && to.length() <= 254 && EMAIL.matcher(to).matches();
  }

  private static String emailTarget(String to) {
    if (!isEmailAddress(to)) {
      throw ApiException.badRequest(
          "invalid_email", "An email channel needs a valid address in \"to\".");
    }
    return to;
  }

  private static Channel keep(Rule existing, String type, String target) {
    if (existing == null) {
      return null;
    }
    for (Channel channel : existing.channels()) {
      if (channel.type().equals(type) && java.util.Objects.equals(channel.target(), target)) {
        return channel;
      }
    }
    return null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
