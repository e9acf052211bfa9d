package dev.beacon.aggregator.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.aggregator.metrics.stream.MetricStreamController.MetricsEvent;
import dev.beacon.events.EventType;
import dev.beacon.events.MetricTotals;
import dev.beacon.events.MetricUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class MetricStreamTests {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
  static final OffsetDateTime MINUTE = OffsetDateTime.parse("2026-11-25T09:59:00Z");

  static MetricUpdate update(String agent, OffsetDateTime minute, long calls) {
    MetricTotals totals = new MetricTotals(calls, 0, 0, 0, 0, 0, 0, 0, 0);
    return new MetricUpdate(
        "ws", agent, EventType.TOOL_CALL, "slack", minute, totals, minute.toLocalDate(), totals);
  }

  @Test
  void coalescesAWindowIntoOneEventKeepingTheLatestTotalsPerBucket() {
    StepVerifier.withVirtualTime(
            () -> {
              Sinks.Many<MetricUpdate> updates = Sinks.many().multicast().directBestEffort();
              Flux<ServerSentEvent<MetricsEvent>> events =
                  MetricStreamController.events(
                      updates.asFlux(), CLOCK, Duration.ofMillis(500), Duration.ofSeconds(15));
              return events.doOnSubscribe(
                  subscription ->
                      Flux.just(
                              update("a", MINUTE, 1),
                              update("b", MINUTE, 5),
                              update("a", MINUTE, 2),
                              update("a", MINUTE.plusMinutes(1), 1))
                          .delayElements(Duration.ofMillis(100))
                          .subscribe(updates::tryEmitNext));
            })
        .assertNext(connected -> assertThat(connected.comment()).isEqualTo("connected"))
        .thenAwait(Duration.ofMillis(500))
        .assertNext(
            event -> {
              assertThat(event.event()).isEqualTo("metrics");
              assertThat(event.data().at()).isEqualTo(CLOCK.instant());
              assertThat(event.data().updates())
                  .extracting(MetricUpdate::agentId, u -> u.minuteTotals().calls())
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple("b", 5L),
                      org.assertj.core.groups.Tuple.tuple("a", 2L),
                      org.assertj.core.groups.Tuple.tuple("a", 1L));
            })
        .thenAwait(Duration.ofSeconds(10))
        .expectNoEvent(Duration.ZERO)
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void sendsNothingForQuietWindowsButAHeartbeatCommentEveryFifteenSeconds() {
    StepVerifier.withVirtualTime(
            () ->
                MetricStreamController.events(
                    Flux.never(), CLOCK, Duration.ofMillis(500), Duration.ofSeconds(15)))
        .assertNext(connected -> assertThat(connected.comment()).isEqualTo("connected"))
        .expectNoEvent(Duration.ofMillis(14_999))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(beat -> assertThat(beat.comment()).isEqualTo("heartbeat"))
        .expectNoEvent(Duration.ofMillis(14_999))
        .thenAwait(Duration.ofMillis(1))
        .assertNext(
            beat -> {
              assertThat(beat.comment()).isEqualTo("heartbeat");
              assertThat(beat.event()).isNull();
              assertThat(beat.data()).isNull();
            })
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }
}
