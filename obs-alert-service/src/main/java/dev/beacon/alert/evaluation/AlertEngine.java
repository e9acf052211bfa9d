package dev.beacon.alert.evaluation;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.delivery.AlertMessage;
import dev.beacon.alert.delivery.DeliveriesEnqueued;
import dev.beacon.alert.evaluation.RuleEvaluator.Measurement;
import dev.beacon.alert.evaluation.TransitionRecorder.Result;
import dev.beacon.alert.evaluation.TransitionRecorder.StateRow;
import dev.beacon.alert.evaluation.TransitionRecorder.Transition;
import dev.beacon.alert.notification.Notification;
import dev.beacon.alert.notification.NotificationStream;
import dev.beacon.alert.rule.LiveValues;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleChanged;
import dev.beacon.alert.rule.RuleEnums.NoData;
import dev.beacon.alert.rule.RuleRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;

/**
 * Evaluates rules and moves each (rule, group) through its states: {@code ok → warning → critical →
 * resolved (ok)}, {@code no_data}, {@code snoozed}. Notifies on transitions and, while still
 * breached, every {@code renotify_minutes}; after a resolve the group may not fire again for {@code
 * cooldown_minutes} (flapping damping). Evaluation is serialised: one caller at a time.
 */
public class AlertEngine implements LiveValues {

  private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);

  /** The levels a measurement can put a group in; {@code KEEP} leaves the state as it is. */
  enum Level {
    OK,
    WARNING,
    CRITICAL,
    NO_DATA,
    KEEP
  }

  private final MetricStore store;
  private final RuleRepository rules;
  private final TransitionRecorder recorder;
  private final NotificationStream stream;
  private final ApplicationEventPublisher events;
  private final AlertProperties properties;
  private final Clock clock;
  private final Counter transitions;

  private final Map<UUID, Rule> rulesById = new ConcurrentHashMap<>();
  private final Map<UUID, Map<String, StateRow>> states = new ConcurrentHashMap<>();
  private final Map<UUID, Map<String, BigDecimal>> values = new ConcurrentHashMap<>();
  private boolean loaded;
  private final java.util.concurrent.ExecutorService ruleChanges =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "alert-rule-changes");
            thread.setDaemon(true);
            return thread;
          });

  AlertEngine(
      MetricStore store,
      RuleRepository rules,
      TransitionRecorder recorder,
      NotificationStream stream,
      ApplicationEventPublisher events,
      AlertProperties properties,
      Clock clock,
      MeterRegistry meters) {
    this.store = store;
    this.rules = rules;
    this.recorder = recorder;
    this.stream = stream;
    this.events = events;
    this.properties = properties;
    this.clock = clock;
    this.transitions = meters.counter("beacon.alert.transitions");
  }

  @Override
  public Map<String, BigDecimal> values(UUID ruleId) {
    return Map.copyOf(values.getOrDefault(ruleId, Map.of()));
  }

  /**
   * Reloads a changed rule (or forgets a deleted one) and evaluates it, off the request thread: the
   * API answers at once, the evaluator picks the change up within milliseconds.
   */
  @EventListener
  public void onRuleChanged(RuleChanged changed) {
    ruleChanges.execute(
        () -> {
          try {
            reload(changed);
          } catch (RuntimeException e) {
            log.warn("Reloading rule {} failed: {}", changed.ruleId(), e.toString());
          }
        });
  }

  /** Stops the rule-change worker. */
  public void close() {
    ruleChanges.shutdownNow();
  }

  private void reload(RuleChanged changed) {
    synchronized (this) {
      if (!loaded) {
        return;
      }
      Rule rule = rules.find(changed.workspaceId(), changed.ruleId()).block();
      if (rule == null) {
        rulesById.remove(changed.ruleId());
        states.remove(changed.ruleId());
        values.remove(changed.ruleId());
        return;
      }
      rulesById.put(rule.id(), rule);
      Map<String, StateRow> persisted = recorder.loadStates().get(rule.id());
      states.put(rule.id(), persisted == null ? new HashMap<>() : new HashMap<>(persisted));
    }
    evaluateWorkspaces(Set.of(changed.workspaceId()));
  }

  /** Evaluates every enabled rule of the given workspaces. */
  public synchronized void evaluateWorkspaces(Collection<String> workspaceIds) {
    ensureLoaded();
    Instant now = clock.instant();
    Set<String> wanted = new HashSet<>(workspaceIds);
    for (Rule rule : rulesById.values()) {
      if (wanted.contains(rule.workspaceId())) {
        evaluate(rule, now);
      }
    }
  }

  /** Evaluates every enabled rule (the timer: windows sliding, no_events, renotify, snoozes). */
  public synchronized void evaluateAll() {
    ensureLoaded();
    Instant now = clock.instant();
    store.prune(now);
    for (Rule rule : List.copyOf(rulesById.values())) {
      try {
        evaluate(rule, now);
      } catch (RuntimeException e) {
        log.warn("Evaluating rule {} failed: {}", rule.id(), e.toString());
      }
    }
  }

  /** Reloads every rule and state from the database (a safety net besides rule-change events). */
  public synchronized void reload() {
    loaded = false;
    ensureLoaded();
  }

  private void ensureLoaded() {
    if (loaded) {
      return;
    }
    Map<UUID, Rule> fresh = new HashMap<>();
    for (Rule rule : rules.findAll().collectList().block()) {
      fresh.put(rule.id(), rule);
    }
    Map<UUID, Map<String, StateRow>> persisted = recorder.loadStates();
    rulesById.clear();
    rulesById.putAll(fresh);
    states.clear();
    persisted.forEach((id, groups) -> states.put(id, new HashMap<>(groups)));
    values.keySet().retainAll(fresh.keySet());
    loaded = true;
  }

  private void evaluate(Rule rule, Instant now) {
    if (!rule.enabled()) {
      return;
    }
    Map<String, Measurement> measured = RuleEvaluator.measure(rule, store, now);
    Map<String, StateRow> ruleStates = states.computeIfAbsent(rule.id(), id -> new HashMap<>());
    Map<String, BigDecimal> ruleValues = new HashMap<>();
    measured.forEach(
        (group, m) -> {
          if (m.value() != null) {
            ruleValues.put(group, m.value());
          }
        });
    values.put(rule.id(), ruleValues);
    Set<String> groups = new HashSet<>(measured.keySet());
    groups.addAll(ruleStates.keySet());
    for (String group : groups) {
      Measurement m = measured.getOrDefault(group, new Measurement(null, 0));
      step(rule, group, m, level(rule, m), ruleStates, now);
    }
  }

  static Level level(Rule rule, Measurement m) {
    if (m.value() == null) {
      return switch (rule.noData() == null ? NoData.IGNORE : rule.noData()) {
        case IGNORE -> Level.KEEP;
        case OK -> Level.OK;
        case ALERT -> Level.NO_DATA;
      };
    }
    if (rule.criticalThreshold() != null
        && rule.comparator().breaches(m.value(), rule.criticalThreshold())) {
      return Level.CRITICAL;
    }
    if (rule.warningThreshold() != null
        && rule.comparator().breaches(m.value(), rule.warningThreshold())) {
      return Level.WARNING;
    }
    return Level.OK;
  }

  private void step(
      Rule rule,
      String group,
      Measurement m,
      Level level,
      Map<String, StateRow> ruleStates,
      Instant now) {
    StateRow current = ruleStates.get(group);
    String currentState = current == null ? "ok" : current.state();
    if (rule.snoozedAt(now)) {
      if (!"snoozed".equals(currentState)) {
        StateRow snoozed =
            new StateRow(
                "snoozed",
                m.value(),
                now,
                current == null ? null : current.lastNotifiedAt(),
                current == null ? null : current.resolvedAt());
        write(new Transition(rule, group, snoozed, null, null, null, null), ruleStates);
      }
      return;
    }
    if ("snoozed".equals(currentState)) {
      currentState = "ok";
    }
    if (level == Level.KEEP) {
      level =
          switch (currentState) {
            case "warning" -> Level.WARNING;
            case "critical" -> Level.CRITICAL;
            case "no_data" -> Level.NO_DATA;
            default -> Level.OK;
          };
      if (m.value() == null && !breached(currentState)) {
        if (current != null && "snoozed".equals(current.state())) {
          write(
              new Transition(
                  rule,
                  group,
                  new StateRow("ok", null, now, current.lastNotifiedAt(), current.resolvedAt()),
                  null,
                  null,
                  null,
                  null),
              ruleStates);
        }
        return;
      }
    }
    String target = level.name().toLowerCase(Locale.ROOT);
    if (target.equals(currentState)) {
      if (current != null && "snoozed".equals(current.state())) {
        write(
            new Transition(
                rule,
                group,
                new StateRow(
                    target, m.value(), now, current.lastNotifiedAt(), current.resolvedAt()),
                null,
                null,
                null,
                null),
            ruleStates);
        return;
      }
      if (breached(currentState) && rule.renotifyMinutes() > 0 && current != null) {
        Instant last =
            current.lastNotifiedAt() == null ? current.since() : current.lastNotifiedAt();
        if (!now.isBefore(last.plus(minutes(rule.renotifyMinutes())))) {
          StateRow renotified =
              new StateRow(currentState, m.value(), current.since(), now, current.resolvedAt());
          BigDecimal threshold = threshold(rule, level);
          write(
              new Transition(
                  rule,
                  group,
                  renotified,
                  currentState,
                  currentState,
                  threshold,
                  message(rule, group, currentState, m.value(), threshold, now, true)),
              ruleStates);
        }
      }
      return;
    }
    boolean firing = level != Level.OK;
    if (firing
        && !breached(currentState)
        && current != null
        && current.resolvedAt() != null
        && now.isBefore(current.resolvedAt().plus(minutes(rule.cooldownMinutes())))) {
      return;
    }
    String eventTo = firing ? target : "resolved";
    BigDecimal threshold = threshold(rule, firing ? level : Level.WARNING);
    StateRow next =
        new StateRow(
            target,
            m.value(),
            now,
            now,
            firing ? (current == null ? null : current.resolvedAt()) : now);
    write(
        new Transition(
            rule,
            group,
            next,
            currentState,
            eventTo,
            threshold,
            message(rule, group, eventTo, m.value(), threshold, now, false)),
        ruleStates);
  }

  private void write(Transition transition, Map<String, StateRow> ruleStates) {
    Result result = recorder.record(transition);
    ruleStates.put(transition.group(), transition.state());
    if (transition.eventFrom() != null) {
      transitions.increment();
    }
    for (Notification n : result.inApp()) {
      stream.publish(n);
    }
    if (result.outbox()) {
      events.publishEvent(new DeliveriesEnqueued());
    }
  }

  private static boolean breached(String state) {
    return state.equals("warning") || state.equals("critical") || state.equals("no_data");
  }

  private static BigDecimal threshold(Rule rule, Level level) {
    if (level == Level.CRITICAL) {
      return rule.criticalThreshold();
    }
    return rule.warningThreshold() != null ? rule.warningThreshold() : rule.criticalThreshold();
  }

  private Duration minutes(int count) {
    return properties.minuteLength().multipliedBy(count);
  }

  private AlertMessage message(
      Rule rule,
      String group,
      String severity,
      BigDecimal value,
      BigDecimal threshold,
      Instant now,
      boolean renotify) {
    String scope = rule.groupBy() == null ? "" : " · " + rule.groupBy().wire() + " " + group;
    String title =
        "["
            + (severity.equals("no_data") ? "NO DATA" : severity.toUpperCase(Locale.ROOT))
            + "] "
            + rule.name()
            + scope
            + (renotify ? " (still)" : "");
    String shown = value == null ? "no data" : value.toPlainString();
    String body =
        severity.equals("resolved")
            ? rule.metric().wire()
                + " over "
                + rule.window().wire()
                + " is back to "
                + shown
                + " (threshold "
                + rule.comparator().wire()
                + " "
                + plain(threshold)
                + ")."
            : rule.metric().wire()
                + " over "
                + rule.window().wire()
                + " is "
                + shown
                + " ("
                + (severity.equals("no_data")
                    ? "no data in the window"
                    : severity + " threshold " + rule.comparator().wire() + " " + plain(threshold))
                + ").";
    String link = properties.publicUrl().replaceAll("/+$", "") + "/alerts?rule=" + rule.id();
    return new AlertMessage(
        severity.equals("no_data") ? "warning" : severity,
        title,
        body,
        rule.name(),
        group,
        rule.groupBy() == null ? null : rule.groupBy().wire(),
        rule.metric().wire(),
        value == null ? null : value.toPlainString(),
        plain(threshold),
        rule.comparator().wire(),
        rule.window().wire(),
        link,
        now);
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
