package dev.beacon.alert.delivery;

import dev.beacon.alert.config.AlertProperties;
import dev.beacon.alert.delivery.DeliveryRepository.Due;
import dev.beacon.alert.delivery.SlackClient.Attempt;
import dev.beacon.alert.delivery.SlackClient.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Sends what is in the outbox: claims due rows (leased, {@code SKIP LOCKED}), sends each to its
 * channel, records every attempt, and finishes the row as delivered or failed, or puts it back for
 * a later round. Runs at once when rows are enqueued and on a short poll, so pending rows left by a
 * previous process are resumed after a restart.
 */
class OutboxDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

  private final DeliveryRepository deliveries;
  private final SlackClient slack;
  private final EmailSender email;
  private final AlertProperties properties;
  private final Clock clock;
  private final MeterRegistry meters;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private volatile boolean started;
  private volatile Disposable current;
  private final java.util.Set<java.util.UUID> inFlight =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  OutboxDispatcher(
      DeliveryRepository deliveries,
      SlackClient slack,
      EmailSender email,
      AlertProperties properties,
      Clock clock,
      MeterRegistry meters) {
    this.deliveries = deliveries;
    this.slack = slack;
    this.email = email;
    this.properties = properties;
    this.clock = clock;
    this.meters = meters;
  }

  @EventListener
  void onEnqueued(DeliveriesEnqueued enqueued) {
    wake();
  }

  @Scheduled(fixedDelayString = "${beacon.alert.outbox.poll-interval}")
  void poll() {
    wake();
  }

  /** Starts a dispatch round unless one runs; then that one runs again. */
  void wake() {
    if (!started) {
      return;
    }
    again.set(true);
    if (!running.compareAndSet(false, true)) {
      return;
    }
    again.set(false);
    current =
        round()
            .subscribe(
                claimed -> finishRound(claimed),
                error -> {
                  log.warn("Outbox round failed: {}", error.toString());
                  running.set(false);
                });
  }

  private void finishRound(int claimed) {
    running.set(false);
    if (claimed >= properties.outbox().batchSize() || again.get()) {
      wake();
    }
  }

  private Mono<Integer> round() {
    Instant now = clock.instant();
    return deliveries
        .claim(now, properties.outbox().lease(), properties.outbox().batchSize())
        .doOnNext(due -> inFlight.add(due.id()))
        .flatMap(
            due -> deliver(due).doFinally(signal -> inFlight.remove(due.id())).thenReturn(1),
            properties.outbox().concurrency())
        .count()
        .map(Long::intValue);
  }

  private Mono<Void> deliver(Due due) {
    if (!"ok".equals(due.channelStatus())) {
      return deliveries.finish(
          due.id(), "failed", due.attempts(), "channel " + due.channelStatus(), clock.instant());
    }
    int first = due.attempts() + 1;
    Mono<Outcome> outcome =
        switch (due.channelType()) {
          case "slack" ->
              slack.send(
                  due.target(),
                  due.message(),
                  properties.slack().maxAttempts(),
                  first,
                  (n, attempt) -> record(due, n, attempt));
          case "email" ->
              email
                  .send(due.target(), due.message())
                  .flatMap(
                      attempt -> record(due, first, attempt).thenReturn(new Outcome(attempt, 1)));
          default ->
              Mono.just(
                  new Outcome(new Attempt("failed", null, 0, "unknown channel type", null), 0));
        };
    return outcome
        .flatMap(result -> conclude(due, result))
        .onErrorResume(
            e -> {
              log.warn("Delivery {} failed unexpectedly: {}", due.id(), e.toString());
              return Mono.empty();
            });
  }

  private Mono<Void> record(Due due, int attempt, Attempt result) {
    return deliveries.attempt(
        due.id(),
        attempt,
        result.status(),
        result.statusCode(),
        result.latencyMs(),
        result.error(),
        clock.instant());
  }

  private Mono<Void> conclude(Due due, Outcome outcome) {
    Attempt last = outcome.last();
    int attempts = due.attempts() + outcome.attempts();
    Instant now = clock.instant();
    meters
        .counter("beacon.alert.deliveries", "channel", due.channelType(), "outcome", last.status())
        .increment();
    if (last.status().equals("delivered")) {
      if (due.channelType().equals("slack")) {
        meters
            .timer("beacon.alert.delivery.latency", "channel", due.channelType())
            .record(Duration.between(due.createdAt(), now));
      }
      return deliveries
          .finish(due.id(), "delivered", attempts, null, now)
          .then(deliveries.channelSucceeded(due.channelId()));
    }
    // a notice e-mail has no channel to disable: it gives up after as many rounds
    boolean permanent =
        last.status().equals("failed")
            || (due.channelId() == null && attempts >= properties.failuresBeforeDisable());
    return deliveries
        .channelFailed(due.channelId(), permanent, last.error(), properties.failuresBeforeDisable())
        .flatMap(
            status -> {
              if (permanent || !status.equals("ok")) {
                return deliveries.finish(due.id(), "failed", attempts, last.error(), now);
              }
              int rounds = Math.max(1, attempts / Math.max(1, properties.slack().maxAttempts()));
              Duration wait =
                  properties.outbox().retryBackoff().multipliedBy(1L << Math.min(rounds - 1, 6));
              return deliveries.retryLater(due.id(), attempts, now.plus(wait), last.error());
            });
  }

  @Override
  public void start() {
    started = true;
  }

  @Override
  public void stop() {
    started = false;
    Disposable round = current;
    if (round != null) {
      round.dispose();
    }
    java.util.List<java.util.UUID> unfinished = java.util.List.copyOf(inFlight);
    if (!unfinished.isEmpty()) {
      try {
        deliveries.release(unfinished).block(Duration.ofSeconds(5));
        log.info("Released {} unfinished deliveries for the next instance", unfinished.size());
      } catch (RuntimeException e) {
        log.warn("Could not release unfinished deliveries; their lease expires: {}", e.toString());
      }
    }
  }

  @Override
  public boolean isRunning() {
    return started;
  }

  /** Stops before the database pool closes, starts after it. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }
}
