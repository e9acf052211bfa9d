package dev.beacon.aggregator.reconciliation;

import dev.beacon.aggregator.web.Params;
import dev.beacon.identity.ForwardedIdentity;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/obs/reconciliation}: log versus metrics, per day, for the caller's workspace. */
@RestController
class ReconciliationController {

  private final ReconciliationService reconciliation;
  private final Clock clock;

  ReconciliationController(ReconciliationService reconciliation, Clock clock) {
    this.reconciliation = reconciliation;
    this.clock = clock;
  }

  @GetMapping("/api/obs/reconciliation")
  Mono<Reconciliation> check(
      @AuthenticationPrincipal ForwardedIdentity identity,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate first = reconciliation.firstCompleteDay(identity.workspaceId());
    LocalDate fromDay = Params.date("from", from, today.minusDays(6));
    LocalDate toDay = Params.date("to", to, today);
    Params.range(
        "from",
        "to",
        !fromDay.isAfter(toDay),
        ChronoUnit.DAYS.between(fromDay, toDay) + 1,
        366,
        "days");
    LocalDate effectiveFrom = fromDay.isBefore(first) ? first : fromDay;
    return reconciliation
        .check(identity.workspaceId(), effectiveFrom, toDay)
        .map(
            c -> new Day(c.day(), c.eventsLogged(), c.eventsCounted(), c.drift(), c.rollupsMatch()))
        .collectList()
        .map(
            days ->
                new Reconciliation(
                    effectiveFrom,
                    toDay,
                    days.stream().allMatch(d -> d.drift() == 0 && d.rollupsMatch()),
                    days));
  }

  record Day(
      LocalDate day, long eventsLogged, long eventsCounted, long drift, boolean rollupsMatch) {}

  record Reconciliation(LocalDate from, LocalDate to, boolean consistent, List<Day> days) {}
}
