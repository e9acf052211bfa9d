package dev.beacon.alert.evaluation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Re-evaluates every rule on a timer, for what no metric update announces: a silent agent ({@code
 * no_events}), rolling windows emptying, calendar day and month boundaries, renotify intervals and
 * snoozes ending. Also reloads rules from the database every few minutes as a safety net besides
 * rule-change events.
 */
class EvaluationTimer {

  private static final Logger log = LoggerFactory.getLogger(EvaluationTimer.class);
  private static final int RELOAD_EVERY_TICKS = 30;

  private final AlertEngine engine;
  private final MetricUpdateListener listener;
  private int ticks;

  EvaluationTimer(AlertEngine engine, MetricUpdateListener listener) {
    this.engine = engine;
    this.listener = listener;
  }

  @Scheduled(fixedDelayString = "${beacon.alert.tick}", initialDelayString = "${beacon.alert.tick}")
  void tick() {
    if (!listener.caughtUp()) {
      return;
    }
    try {
      if (++ticks % RELOAD_EVERY_TICKS == 0) {
        engine.reload();
      }
      engine.evaluateAll();
    } catch (RuntimeException e) {
      log.warn("Scheduled evaluation failed: {}", e.toString());
    }
  }
}
