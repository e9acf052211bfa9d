package dev.beacon.alert.rule;

import dev.beacon.alert.rule.Rule.Channel;
import dev.beacon.alert.rule.RuleJson.ChannelJson;
import dev.beacon.alert.rule.RuleJson.FiltersJson;
import dev.beacon.alert.rule.RuleJson.RuleRequest;
import dev.beacon.alert.rule.RuleJson.RuleResponse;
import dev.beacon.alert.rule.RuleJson.StateJson;
import dev.beacon.entitlements.Entitlements;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.identity.error.ApiException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The rules of a workspace: validates and stores them, tells the evaluator about every change
 * ({@link RuleChanged}), and shows each rule with its persisted group states and the evaluator's
 * live values.
 */
class RuleService {

  private final RuleRepository rules;
  private final RuleValidator validator;
  private final LiveValues liveValues;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final WorkspaceEntitlements entitlements;

  RuleService(
      RuleRepository rules,
      RuleValidator validator,
      LiveValues liveValues,
      ApplicationEventPublisher events,
      Clock clock,
      WorkspaceEntitlements entitlements) {
    this.entitlements = entitlements;
    this.rules = rules;
    this.validator = validator;
    this.liveValues = liveValues;
    this.events = events;
    this.clock = clock;
  }

  /** The workspace's rules, oldest first. */
  Flux<RuleResponse> list(String workspaceId) {
    return rules.findByWorkspace(workspaceId).concatMap(this::view);
  }

  /**
   * Validates and stores a new rule, unless the workspace already has as many rules as its plan
   * allows ({@code 403 plan_limit_reached}; every stored rule counts, enabled or not). The limit
   * gates new rules only: rules over a lowered limit keep working.
   */
  Mono<RuleResponse> create(String workspaceId, RuleRequest request) {
    Rule rule = validator.validate(request, UUID.randomUUID(), workspaceId, null, clock.instant());
    Entitlements limit = entitlements.of(workspaceId);
    return rules
        .insertWithin(rule, limit.alertRules())
        .switchIfEmpty(Mono.error(() -> limitReached(limit)))
        .doOnNext(this::changed)
        .flatMap(this::view);
  }

  private static ApiException limitReached(Entitlements limit) {
    return ApiException.forbidden(
            "plan_limit_reached",
            "The "
                + limit.plan()
                + " plan allows "
                + limit.alertRules()
                + " alert rules per workspace; delete a rule or upgrade the plan.")
        .with("limit", limit.alertRules())
        .with("plan", limit.plan());
  }

  /** One rule; empty when the workspace has no such rule. */
  Mono<RuleResponse> get(String workspaceId, UUID id) {
    return rules.find(workspaceId, id).flatMap(this::view);
  }

  /** Validates and stores a rule's new version; empty when the workspace has no such rule. */
  Mono<RuleResponse> update(String workspaceId, UUID id, RuleRequest request) {
    return rules
        .find(workspaceId, id)
        .flatMap(
            old ->
                rules.update(
                    validator.validate(request, old.id(), workspaceId, old, clock.instant())))
        .doOnNext(this::changed)
        .flatMap(this::view);
  }

  /** Deletes a rule; false when the workspace has no such rule. */
  Mono<Boolean> delete(String workspaceId, UUID id) {
    return rules
        .delete(workspaceId, id)
        .doOnNext(
            deleted -> {
              if (deleted) {
                events.publishEvent(new RuleChanged(workspaceId, id));
              }
            });
  }

  private void changed(Rule saved) {
    events.publishEvent(new RuleChanged(saved.workspaceId(), saved.id()));
  }

  /** The rule with each group's persisted state, its value the evaluator's latest. */
  private Mono<RuleResponse> view(Rule rule) {
    Map<String, BigDecimal> live = liveValues.values(rule.id());
    return rules
        .states(rule.id())
        .collectList()
        .map(
            persisted -> {
              List<StateJson> states = new ArrayList<>();
              for (StateJson state : persisted) {
                BigDecimal value = live.get(state.group());
                states.add(
                    value == null
                        ? state
                        : new StateJson(
                            state.group(), state.state(), value.toPlainString(), state.since()));
              }
              live.forEach(
                  (group, value) -> {
                    if (persisted.stream().noneMatch(s -> s.group().equals(group))) {
                      states.add(
                          new StateJson(group, "ok", value.toPlainString(), rule.createdAt()));
                    }
                  });
              if (states.isEmpty() && rule.groupBy() == null) {
                states.add(new StateJson("", "ok", null, rule.createdAt()));
              }
              return toResponse(rule, states);
            });
  }

  private static RuleResponse toResponse(Rule rule, List<StateJson> states) {
    List<ChannelJson> channels = new ArrayList<>();
    for (Channel channel : rule.channels()) {
      channels.add(
          new ChannelJson(
              channel.type(),
              "slack".equals(channel.type()) ? SlackUrlPolicy.mask(channel.target()) : null,
              "email".equals(channel.type()) ? channel.target() : null,
              channel.status(),
              channel.lastError()));
    }
    Rule.Filters f = rule.filters();
    return new RuleResponse(
        rule.id().toString(),
        rule.name(),
        rule.metric().wire(),
        new FiltersJson(f.agent(), f.provider(), f.model(), f.tool(), f.type(), f.service()),
        rule.groupBy() == null ? null : rule.groupBy().wire(),
        rule.window().wire(),
        rule.comparator().wire(),
        RuleRepository.plain(rule.warningThreshold()),
        RuleRepository.plain(rule.criticalThreshold()),
        rule.minSample(),
        rule.noData().wire(),
        channels,
        rule.renotifyMinutes(),
        rule.cooldownMinutes(),
        rule.enabled(),
        rule.snoozedUntil(),
        states,
        rule.createdAt(),
        rule.updatedAt());
  }
}
