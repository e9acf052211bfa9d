package dev.beacon.ingest.usage.domain;

import dev.beacon.entitlements.Entitlements;
import dev.beacon.entitlements.WorkspaceEntitlements;
import dev.beacon.ingest.usage.store.MonthlyUsageRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * A workspace's monthly event quota ({@code events_per_month} of its plan, per calendar month in
 * UTC; Free's for a workspace billing has no record of). Reservations are exact across instances:
 * one statement per batch against the workspace's row of this month (ADR 0024).
 */
@Service
public class MonthlyQuota {

  private static final Logger log = LoggerFactory.getLogger(MonthlyQuota.class);

  private final MonthlyUsageRepository usage;
  private final WorkspaceEntitlements entitlements;
  private final Clock clock;

  public MonthlyQuota(
      MonthlyUsageRepository usage, WorkspaceEntitlements entitlements, Clock clock) {
    this.usage = usage;
    this.entitlements = entitlements;
    this.clock = clock;
  }

  /**
   * Reserves up to {@code events} from this month's quota; asks the database nothing for 0.
   *
   * @return what was granted, in batch order the first {@code granted} events to be accepted
   */
  public Mono<QuotaGrant> reserve(String workspaceId, long events) {
    Instant now = clock.instant();
    YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
    Entitlements plan = entitlements.of(workspaceId);
    long limit = plan.eventsPerMonth();
    Mono<Long> granted =
        events == 0 ? Mono.just(0L) : usage.reserve(workspaceId, month.atDay(1), events, limit);
    return granted.map(
        n -> new QuotaGrant(workspaceId, month, events, n, limit, plan.plan(), resetsAt(month)));
  }

  /**
   * Gives a grant's events back, for a batch that was not stored (Kafka did not acknowledge it).
   * Never fails: a release that does not reach the database is logged, and the workspace has
   * counted a few events more than it stored.
   */
  public Mono<Void> release(QuotaGrant grant) {
    if (grant.granted() == 0) {
      return Mono.empty();
    }
    return usage
        .release(grant.workspaceId(), grant.month().atDay(1), grant.granted())
        .onErrorResume(
            error -> {
              log.warn(
                  "Could not give back {} events of workspace {} for {}: {}",
                  grant.granted(),
                  grant.workspaceId(),
                  grant.month(),
                  error.toString());
              return Mono.empty();
            });
  }

  /** The workspace's events of this month against its plan. */
  public Mono<MonthlyUsage> current(String workspaceId) {
    YearMonth month = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
    Entitlements plan = entitlements.of(workspaceId);
    return usage
        .used(workspaceId, month.atDay(1))
        .map(events -> new MonthlyUsage(month, events, plan.eventsPerMonth(), plan));
  }

  private static Instant resetsAt(YearMonth month) {
    return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /**
   * @param month this calendar month (UTC)
   * @param events events counted in it
   * @param limit the plan's {@code events_per_month}
   * @param entitlements the workspace's entitlements, for its plan and other limits
   */
  public record MonthlyUsage(YearMonth month, long events, long limit, Entitlements entitlements) {}
}
