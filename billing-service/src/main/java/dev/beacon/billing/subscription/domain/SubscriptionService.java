package dev.beacon.billing.subscription.domain;

import dev.beacon.billing.config.BillingProperties;
import dev.beacon.billing.notice.domain.NoticeService;
import dev.beacon.billing.notice.domain.Notices;
import dev.beacon.billing.plan.domain.Plan;
import dev.beacon.billing.plan.domain.PlanCatalog;
import dev.beacon.billing.subscription.store.HostedAccessRepository;
import dev.beacon.billing.subscription.store.HostedAccessRow;
import dev.beacon.billing.subscription.store.SubscriptionRepository;
import dev.beacon.billing.subscription.store.SubscriptionRow;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies Stripe's changes to subscriptions in the order Stripe made them, and answers a
 * workspace's effective plan.
 *
 * <p>The convergence rule: a change is applied only when its Stripe event was created at or after
 * the event applied last for the workspace ({@code stripe_changed_at}); an older one is recorded as
 * {@code stale} and changes nothing. Repeated deliveries of one event never reach this class twice
 * (the Stripe event log is idempotent by event id).
 */
@Service
public class SubscriptionService {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionService.class);

  /** Publishing rounds at most per call; a state still changing after them is the sweep's. */
  private static final int MAX_PUBLISH_ROUNDS = 3;

  private final SubscriptionRepository subscriptions;
  private final HostedAccessRepository hostedAccess;
  private final PlanCatalog plans;
  private final EntitlementsPublisher publisher;
  private final NoticeService notices;
  private final TransactionalOperator transaction;
  private final BillingProperties properties;
  private final Clock clock;

  SubscriptionService(
      SubscriptionRepository subscriptions,
      HostedAccessRepository hostedAccess,
      PlanCatalog plans,
      EntitlementsPublisher publisher,
      NoticeService notices,
      TransactionalOperator transaction,
      BillingProperties properties,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.hostedAccess = hostedAccess;
    this.plans = plans;
    this.publisher = publisher;
    this.notices = notices;
    this.transaction = transaction;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Applies one change; meant to run inside the transaction that logs its Stripe event. A change
   * that starts a grace period records a {@code payment_failed} notice in that transaction. Does
   * not publish: call {@link #publish(String)} and {@link NoticeService#publish(String)} after the
   * commit.
   */
  public Mono<ApplyOutcome> apply(SubscriptionChange change) {
    Mono<String> workspace =
        change.workspaceId() != null
            ? Mono.just(change.workspaceId())
            : subscriptions.findWorkspace(change.stripeSubscriptionId(), change.stripeCustomerId());
    return workspace
        .flatMap(
            ws ->
                subscriptions
                    .lock(ws)
                    .then(subscriptions.find(ws).map(Optional::of).defaultIfEmpty(Optional.empty()))
                    .flatMap(current -> apply(ws, current, change)))
        .defaultIfEmpty(ApplyOutcome.unmatched(null));
  }

  private Mono<ApplyOutcome> apply(
      String workspaceId, Optional<SubscriptionRow> current, SubscriptionChange change) {
    if (current.isPresent() && change.stripeCreated().isBefore(current.get().stripeChangedAt())) {
      return Mono.just(ApplyOutcome.stale(workspaceId));
    }
    if (current.isPresent() && !concernsCurrentSubscription(current.get(), change)) {
      return Mono.just(ApplyOutcome.unmatched(workspaceId));
    }
    Instant now = clock.instant();
    return next(workspaceId, current, change, now)
        .flatMap(row -> subscriptions.save(row, now))
        .flatMap(row -> noticeGraceStarted(current, row, now).thenReturn(row))
        .doOnNext(
            row ->
                log.info(
                    "Subscription of workspace {} is now {} on plan {} (revision {})",
                    workspaceId,
                    row.status(),
                    row.planId(),
                    row.revision()))
        .map(row -> ApplyOutcome.applied(workspaceId))
        .defaultIfEmpty(ApplyOutcome.unmatched(workspaceId));
  }

  /**
   * A grace period starts when the row gets a grace end it did not have: the payment failed ({@code
   * invoice.payment_failed}, or Stripe's subscription went {@code past_due} first). Its id names
   * the workspace and the grace end, so each grace period is told once.
   */
  private Mono<Void> noticeGraceStarted(
      Optional<SubscriptionRow> before, SubscriptionRow after, Instant now) {
    boolean started =
        after.graceUntil() != null && before.map(row -> row.graceUntil() == null).orElse(true);
    if (!started) {
      return Mono.empty();
    }
    return notices.record(
        Notices.paymentFailed(after.workspaceId(), after.planId(), after.graceUntil(), now));
  }

  /**
   * A checkout or a newly created subscription may replace the workspace's subscription; any other
   * change must be about the subscription the workspace has now.
   */
  private static boolean concernsCurrentSubscription(
      SubscriptionRow current, SubscriptionChange change) {
    if (change.kind() == SubscriptionChange.Kind.CHECKOUT_COMPLETED
        || current.stripeSubscriptionId() == null
        || change.stripeSubscriptionId() == null) {
      return true;
    }
    return current.stripeSubscriptionId().equals(change.stripeSubscriptionId())
        || (change.kind() == SubscriptionChange.Kind.SUBSCRIPTION_STATE
            && "canceled".equals(current.status()));
  }

  private Mono<SubscriptionRow> next(
      String ws, Optional<SubscriptionRow> current, SubscriptionChange change, Instant now) {
    String customer =
        change.stripeCustomerId() != null
            ? change.stripeCustomerId()
            : current.map(SubscriptionRow::stripeCustomerId).orElse(null);
    String subscription =
        change.stripeSubscriptionId() != null
            ? change.stripeSubscriptionId()
            : current.map(SubscriptionRow::stripeSubscriptionId).orElse(null);
    Instant periodEnd =
        change.currentPeriodEnd() != null
            ? change.currentPeriodEnd()
            : current.map(SubscriptionRow::currentPeriodEnd).orElse(null);
    Mono<String> plan =
        plans
            .byStripePrice(change.stripePriceId())
            .map(Plan::id)
            .switchIfEmpty(Mono.justOrEmpty(current.map(SubscriptionRow::planId)));
    return switch (change.kind()) {
      case CHECKOUT_COMPLETED ->
          plans
              .byStripePrice(change.stripePriceId())
              .map(p -> row(ws, p.id(), "active", customer, subscription, periodEnd, null, change));
      case SUBSCRIPTION_STATE -> {
        String status = status(change.stripeStatus());
        if (status == null) {
          yield Mono.empty();
        }
        Instant grace =
            "past_due".equals(status)
                ? current
                    .map(SubscriptionRow::graceUntil)
                    .orElse(now.plus(properties.gracePeriod()))
                : null;
        yield plan.map(p -> row(ws, p, status, customer, subscription, periodEnd, grace, change));
      }
      case SUBSCRIPTION_DELETED ->
          plan.map(p -> row(ws, p, "canceled", customer, subscription, periodEnd, null, change));
      case PAYMENT_FAILED ->
          Mono.justOrEmpty(current)
              .filter(row -> !"canceled".equals(row.status()))
              .map(
                  row ->
                      row(
                          ws,
                          row.planId(),
                          "past_due",
                          customer,
                          subscription,
                          periodEnd,
                          Objects.requireNonNullElse(
                              row.graceUntil(), now.plus(properties.gracePeriod())),
                          change));
      case PAYMENT_SUCCEEDED ->
          Mono.justOrEmpty(current)
              .map(
                  row ->
                      row(
                          ws,
                          row.planId(),
                          "active",
                          customer,
                          subscription,
                          periodEnd,
                          null,
                          change));
    };
  }

  private static SubscriptionRow row(
      String ws,
      String plan,
      String status,
      String customer,
      String subscription,
      Instant periodEnd,
      Instant grace,
      SubscriptionChange change) {
    return new SubscriptionRow(
        ws, plan, status, customer, subscription, periodEnd, grace, change.stripeCreated(), 0, 0);
  }

  /** Stripe's subscription status in billing's three; {@code null} for one that changes nothing. */
  private static String status(String stripeStatus) {
    if (stripeStatus == null) {
      return null;
    }
    return switch (stripeStatus) {
      case "active", "trialing" -> "active";
      case "past_due", "unpaid" -> "past_due";
      case "canceled", "incomplete_expired" -> "canceled";
      default -> null;
    };
  }

  /**
   * The workspace's effective plan and entitlements now; Free without a subscription. Its revision
   * is the subscription's plus the hosted access's: each only ever rises, so their sum rises with
   * every change of either.
   */
  public Mono<EffectiveSubscription> effective(String workspaceId) {
    return state(workspaceId).map(PublishedState::view);
  }

  /**
   * Whether the workspace may use hosted LLM calls; {@code true} until its credit balance first
   * reached zero.
   */
  public Mono<Boolean> hostedLlmAllowed(String workspaceId) {
    return hostedAccess
        .find(workspaceId)
        .map(HostedAccessRow::hostedLlmAllowed)
        .defaultIfEmpty(true);
  }

  /**
   * Records whether the workspace may use hosted LLM calls; meant to run inside the transaction
   * that changed its balance, serialised per workspace by the caller. Does not publish: call {@link
   * #publish(String)} after the commit when this completes with {@code true}.
   *
   * @return whether the answer changed (only a change raises the revision)
   */
  public Mono<Boolean> recordHostedLlmAllowed(String workspaceId, boolean allowed) {
    return hostedLlmAllowed(workspaceId)
        .flatMap(
            current -> {
              if (current == allowed) {
                return Mono.just(false);
              }
              log.info(
                  "Hosted LLM use of workspace {} is now {}",
                  workspaceId,
                  allowed ? "allowed" : "blocked (credit balance at or below zero)");
              return hostedAccess.save(workspaceId, allowed, clock.instant()).thenReturn(true);
            });
  }

  /** The workspaces whose hosted LLM use is blocked now. */
  public Flux<String> hostedLlmBlocked() {
    return hostedAccess.findBlocked();
  }

  private Mono<PublishedState> state(String workspaceId) {
    Instant now = clock.instant();
    return hostedAccess
        .find(workspaceId)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            access -> {
              boolean allowed = access.map(HostedAccessRow::hostedLlmAllowed).orElse(true);
              long accessRevision = access.map(HostedAccessRow::revision).orElse(0L);
              return subscriptions
                  .find(workspaceId)
                  .flatMap(row -> state(row, allowed, accessRevision, now))
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              plans
                                  .free()
                                  .map(
                                      free ->
                                          new PublishedState(
                                              new EffectiveSubscription(
                                                  workspaceId,
                                                  free.id(),
                                                  null,
                                                  null,
                                                  null,
                                                  null,
                                                  WorkspaceEntitlements.of(
                                                      free.entitlements(), allowed),
                                                  accessRevision),
                                              0,
                                              accessRevision))));
            });
  }

  private Mono<PublishedState> state(
      SubscriptionRow row, boolean hostedLlmAllowed, long accessRevision, Instant now) {
    boolean paid =
        "active".equals(row.status())
            || ("past_due".equals(row.status())
                && row.graceUntil() != null
                && now.isBefore(row.graceUntil()));
    return plans
        .byId(paid ? row.planId() : Plan.FREE)
        .map(
            plan ->
                new PublishedState(
                    new EffectiveSubscription(
                        row.workspaceId(),
                        plan.id(),
                        row.planId(),
                        row.status(),
                        row.currentPeriodEnd(),
                        "past_due".equals(row.status()) ? row.graceUntil() : null,
                        WorkspaceEntitlements.of(plan.entitlements(), hostedLlmAllowed),
                        row.revision() + accessRevision),
                    row.revision(),
                    accessRevision));
  }

  /**
   * Publishes the workspace's current entitlements, waiting at most the configured bound for Kafka;
   * a record not acknowledged in time is published again by the next sweep. Never fails.
   *
   * <p>Two publishers of one workspace can overlap (a debit's flip and a webhook's change), and the
   * one that read the older state may be acknowledged last; compaction keeps the last record, not
   * the highest revision. So after the acknowledgement the state is read again, and a newer one is
   * published again: the last publisher to finish always leaves the newest state last.
   */
  public Mono<Void> publish(String workspaceId) {
    return publish(workspaceId, MAX_PUBLISH_ROUNDS);
  }

  private Mono<Void> publish(String workspaceId, int rounds) {
    return state(workspaceId)
        .flatMap(
            state ->
                publisher
                    .publish(state.view())
                    .timeout(properties.publishTimeout())
                    .then(subscriptions.markPublished(workspaceId, state.subscriptionRevision()))
                    .then(hostedAccess.markPublished(workspaceId, state.accessRevision()))
                    .then(state(workspaceId))
                    .filter(
                        latest -> latest.view().revision() > state.view().revision() && rounds > 1)
                    .flatMap(newer -> publish(workspaceId, rounds - 1)))
        .onErrorResume(
            e -> {
              log.warn(
                  "Entitlements of workspace {} not acknowledged by Kafka yet ({}); the sweep"
                      + " publishes them again",
                  workspaceId,
                  e.toString());
              return Mono.empty();
            });
  }

  /**
   * Ends the grace periods that are over (the workspaces fall back to Free, each with a {@code
   * downgraded_to_free} notice in the same transaction), records a {@code grace_ending} notice for
   * every grace period that ends within {@code beacon.billing.grace-ending-notice}, publishes every
   * workspace whose latest entitlements Kafka has not acknowledged, then every notice it has not.
   *
   * @param now the time to compare grace periods with
   * @return how many workspaces' entitlements were published
   */
  public Mono<Long> sweep(Instant now) {
    return subscriptions
        .cancelExpiredGrace(now)
        .doOnNext(
            row ->
                log.info(
                    "Grace period of workspace {} ended at {}: back to Free",
                    row.workspaceId(),
                    row.graceUntil()))
        .concatMap(
            row ->
                notices.record(
                    Notices.downgradedToFree(
                        row.workspaceId(), row.planId(), row.graceUntil(), now)))
        .then()
        .as(transaction::transactional)
        .thenMany(
            Flux.defer(
                () ->
                    subscriptions.findGraceEndingBy(now, now.plus(properties.graceEndingNotice()))))
        .concatMap(
            row ->
                notices.record(
                    Notices.graceEnding(row.workspaceId(), row.planId(), row.graceUntil(), now)))
        .then(
            Flux.defer(
                    () ->
                        Flux.concat(subscriptions.findUnpublished(), hostedAccess.findUnpublished())
                            .distinct())
                .concatMap(ws -> publish(ws).thenReturn(ws))
                .count())
        .flatMap(published -> notices.publishPending().thenReturn(published));
  }

  /**
   * The record of a workspace and the two revisions it is made of, so that publishing it marks each
   * part as acknowledged.
   */
  private record PublishedState(
      EffectiveSubscription view, long subscriptionRevision, long accessRevision) {}
}
