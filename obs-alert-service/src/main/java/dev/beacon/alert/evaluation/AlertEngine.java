package dev.beacon.alert.evaluation;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.delivery.AlertMessage;
import dev.beacon.alert.delivery.DeliveriesEnqueued;
import dev.beacon.alert.evaluation.RuleEvaluator.Measurement;
import dev.beacon.alert.evaluation.TransitionRecorder.Result;
import dev.beacon.alert.notification.Notification;
import dev.beacon.alert.notification.NotificationStream;
import dev.beacon.alert.rule.LiveValues;
import dev.beacon.alert.rule.Rule;
import dev.beacon.alert.rule.RuleChanged;
import dev.beacon.alert.rule.RuleRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;

/**
 * Evaluates rules live and does the I/O of their steps: measures each rule on the {@link
 * MetricStore}, asks {@link AlertStates} what each group's step is, records it ({@link
 * TransitionRecorder}), pushes in-app notifications and wakes the outbox.
 *
 * <p>Evaluation is serialised on this object's monitor: the rules, the states and {@code loaded}
 * are only read and written while holding it (rule changes arrive on their own thread, metric
 * batches on the consumer's, the timer on the scheduler's). Only the latest values, which the rules
 * API reads, are shared without it.
 */
public class AlertEngine implements LiveValues {

  private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);

  private final MetricStore store;
  private final RuleRepository rules;
  private final TransitionRecorder recorder;
  private final NotificationStream stream;
  private final ApplicationEventPublisher events;
  private final AlertProperties properties;
  private final AlertMessages messages;
  private final Clock clock;
  private final Counter transitions;

  /** Guarded by {@code this}. */
  private final Map<UUID, Rule> rulesById = new HashMap<>();

  /** Guarded by {@code this}: rule id → group → state. */
  private final Map<UUID, Map<String, StateRow>> states = new HashMap<>();

  /** Guarded by {@code this}: whether rules and states were read from the database. */
  private boolean loaded;

  /** Written under {@code this}, read by the rules API from any thread. */
  private final Map<UUID, Map<String, BigDecimal>> values = new ConcurrentHashMap<>();

  private final ExecutorService ruleChanges =
      Executors.newSingleThreadExecutor(
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
    this.messages = new AlertMessages(properties.publicUrl());
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

  private synchronized void reload(RuleChanged changed) {
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
    evaluateWorkspaces(Set.of(changed.workspaceId()));
  }

  /** Evaluates every enabled rule of the given workspaces. */
  public synchronized void evaluateWorkspaces(Collection<String> workspaceIds) {
    ensureLoaded();
    Instant now = clock.instant();
    Set<String> wanted = new HashSet<>(workspaceIds);
    for (Rule rule : List.copyOf(rulesById.values())) {
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
    Map<String, BigDecimal> ruleValues = new HashMap<>();
    measured.forEach(
        (group, m) -> {
          if (m.value() != null) {
            ruleValues.put(group, m.value());
          }
        });
    values.put(rule.id(), ruleValues);
    Map<String, StateRow> ruleStates = states.computeIfAbsent(rule.id(), id -> new HashMap<>());
    AlertStates.steps(rule, measured, ruleStates, now, properties.minuteLength())
        .forEach((group, step) -> write(rule, group, step, now, ruleStates));
  }

  private void write(
      Rule rule, String group, Step step, Instant now, Map<String, StateRow> ruleStates) {
    AlertMessage message = messages.about(rule, group, step, now);
    Result result = recorder.record(rule, group, step, message);
    ruleStates.put(group, step.next());
    if (message != null) {
      transitions.increment();
    }
    for (Notification n : result.inApp()) {
      stream.publish(n);
    }
    if (result.outbox()) {
      events.publishEvent(new DeliveriesEnqueued());
    }
  }
}
