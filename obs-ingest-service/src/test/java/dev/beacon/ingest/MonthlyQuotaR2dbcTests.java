package dev.beacon.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.entitlements.EntitlementsProperties;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.ingest.usage.domain.MonthlyQuota;
import dev.beacon.ingest.usage.domain.QuotaGrant;
import dev.beacon.ingest.usage.store.MonthlyUsageRepository;
import dev.beacon.testsupport.IntegrationTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Flux;

/**
 * The counter behind the monthly quota against PostgreSQL, with a clock the test moves across a
 * month boundary.
 */
@IntegrationTest
class MonthlyQuotaR2dbcTests {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Autowired MonthlyUsageRepository usage;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-31T23:59:59.500Z"));

  @Test
  void theMonthBoundaryInUtcStartsAFullQuotaAndAReleaseGoesBackToItsOwnMonth() {
    String ws = "ws-month-" + UUID.randomUUID();
    MonthlyQuota quota = quota();

    QuotaGrant december = quota.reserve(ws, 5).block(WAIT);
    assertThat(december.granted()).isEqualTo(3);
    assertThat(december.exceeded()).isTrue();
    assertThat(december.month()).isEqualTo(YearMonth.of(2026, 12));
    assertThat(december.resetsAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(december.secondsUntilReset(clock.instant())).isEqualTo(1);
    assertThat(quota.reserve(ws, 1).block(WAIT).granted()).isZero();

    clock.set(Instant.parse("2027-01-01T00:00:00Z"));

    QuotaGrant january = quota.reserve(ws, 2).block(WAIT);
    assertThat(january.granted()).isEqualTo(2);
    assertThat(january.month()).isEqualTo(YearMonth.of(2027, 1));
    assertThat(january.resetsAt()).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));

    quota.release(december).block(WAIT);
    assertThat(used(ws, 2026, 12)).isZero();
    assertThat(used(ws, 2027, 1)).isEqualTo(2);
    assertThat(quota.current(ws).block(WAIT).events()).isEqualTo(2);
  }

  @Test
  void concurrentReservationsOfOneWorkspaceNeverPassTheLimitAndSplitAtOnePoint() {
    String ws = "ws-combined-" + UUID.randomUUID();
    MonthlyQuota quota =
        new MonthlyQuota(
            usage,
            new WorkspaceEntitlements(new EntitlementsProperties.Free(7, 10, 3, 3, 2, 0)),
            clock);

    List<QuotaGrant> grants =
        Flux.range(0, 20).flatMap(i -> quota.reserve(ws, 3), 20).collectList().block(WAIT);

    assertThat(grants).hasSize(20);
    assertThat(grants.stream().mapToLong(QuotaGrant::granted).sum()).isEqualTo(10);
    assertThat(grants).allSatisfy(grant -> assertThat(grant.granted()).isBetween(0L, 3L));
    assertThat(grants.stream().filter(grant -> grant.granted() == 1).count())
        .as("one batch gets what is left")
        .isEqualTo(1);
    assertThat(used(ws, 2026, 12)).isEqualTo(10);
  }

  @Test
  void reservesAtMostWhatIsLeftAndNothingOnceALowerLimitIsPassed() {
    String ws = "ws-lowered-" + UUID.randomUUID();
    LocalDate month = LocalDate.of(2026, 12, 1);

    assertThat(usage.reserve(ws, month, 7, 10).block(WAIT)).isEqualTo(7);
    assertThat(usage.reserve(ws, month, 7, 10).block(WAIT)).isEqualTo(3);
    assertThat(usage.reserve(ws, month, 1, 4).block(WAIT)).as("limit lowered below use").isZero();
    assertThat(usage.used(ws, month).block(WAIT)).isEqualTo(10);
    assertThat(usage.reserve(ws, month, 5, 12).block(WAIT)).as("limit raised").isEqualTo(2);
    usage.release(ws, month, 20).block(WAIT);
    assertThat(usage.used(ws, month).block(WAIT)).as("never below zero").isZero();
  }

  /** Free with 3 events a month; no workspace here has a record. */
  private MonthlyQuota quota() {
    return new MonthlyQuota(
        usage, new WorkspaceEntitlements(new EntitlementsProperties.Free(7, 3, 3, 3, 2, 0)), clock);
  }

  private long used(String ws, int year, int month) {
    return usage.used(ws, LocalDate.of(year, month, 1)).block(WAIT);
  }

  /** A clock the test sets. */
  private static final class MovableClock extends Clock {

    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
