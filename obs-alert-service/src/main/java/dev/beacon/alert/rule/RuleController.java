package dev.beacon.alert.rule;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.rule.Rule.Channel;
import dev.beacon.alert.rule.RuleJson.ChannelJson;
import dev.beacon.alert.rule.RuleJson.FiltersJson;
import dev.beacon.alert.rule.RuleJson.RuleList;
import dev.beacon.alert.rule.RuleJson.RuleRequest;
import dev.beacon.alert.rule.RuleJson.RuleResponse;
import dev.beacon.alert.rule.RuleJson.StateJson;
import dev.beacon.identity.ForwardedIdentity;
import dev.beacon.identity.error.ApiException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** CRUD of the caller's workspace's alert rules. */
@RestController
@RequestMapping("/api/obs/alerts/rules")
class RuleController {

  private final RuleRepository rules;
  private final RuleValidator validator;
  private final LiveValues liveValues;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  RuleController(
      RuleRepository rules,
      AlertProperties properties,
      LiveValues liveValues,
      ApplicationEventPublisher events,
      Clock clock) {
    this.rules = rules;
    this.validator = new RuleValidator(new SlackUrlPolicy(properties.slack().allowedUrlPrefixes()));
    this.liveValues = liveValues;
    this.events = events;
    this.clock = clock;
  }

  @GetMapping
  Mono<RuleList> list(@AuthenticationPrincipal ForwardedIdentity identity) {
    return rules
        .findByWorkspace(identity.workspaceId())
        .concatMap(this::view)
        .collectList()
        .map(RuleList::new);
  }

  @PostMapping
  Mono<ResponseEntity<RuleResponse>> create(
      @AuthenticationPrincipal ForwardedIdentity identity, @RequestBody RuleRequest request) {
    Rule rule =
        validator.validate(
            request, UUID.randomUUID(), identity.workspaceId(), null, clock.instant());
    return rules
        .insert(rule)
        .doOnSuccess(saved -> events.publishEvent(new RuleChanged(saved.workspaceId(), saved.id())))
        .flatMap(this::view)
        .map(body -> ResponseEntity.status(HttpStatus.CREATED).body(body));
  }

  @GetMapping("/{id}")
  Mono<RuleResponse> get(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    return existing(identity, id).flatMap(this::view);
  }

  @PutMapping("/{id}")
  Mono<RuleResponse> update(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @PathVariable String id,
      @RequestBody RuleRequest request) {
    return existing(identity, id)
        .flatMap(
            old ->
                rules.update(
                    validator.validate(
                        request, old.id(), identity.workspaceId(), old, clock.instant())))
        .switchIfEmpty(Mono.error(notFound()))
        .doOnSuccess(saved -> events.publishEvent(new RuleChanged(saved.workspaceId(), saved.id())))
        .flatMap(this::view);
  }

  @DeleteMapping("/{id}")
  Mono<ResponseEntity<Void>> delete(
      @AuthenticationPrincipal ForwardedIdentity identity, @PathVariable String id) {
    UUID ruleId = parseId(id);
    return rules
        .delete(identity.workspaceId(), ruleId)
        .flatMap(
            deleted -> {
              if (!deleted) {
                return Mono.error(notFound());
              }
              events.publishEvent(new RuleChanged(identity.workspaceId(), ruleId));
              return Mono.just(ResponseEntity.noContent().<Void>build());
            });
  }

  private Mono<Rule> existing(ForwardedIdentity identity, String id) {
    return rules.find(identity.workspaceId(), parseId(id)).switchIfEmpty(Mono.error(notFound()));
  }

  static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound();
    }
  }

  static ApiException notFound() {
    return ApiException.notFound("rule_not_found", "No such alert rule in this workspace.");
  }

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

  static RuleResponse toResponse(Rule rule, List<StateJson> states) {
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
        new FiltersJson(f.agent(), f.provider(), f.model(), f.tool(), f.type()),
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
