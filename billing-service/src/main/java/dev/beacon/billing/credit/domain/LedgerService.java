package dev.beacon.billing.credit.domain;

import dev.beacon.billing.config.BillingProperties;
import dev.beacon.billing.credit.store.CreditPurchaseRepository;
import dev.beacon.billing.credit.store.CreditPurchaseRow;
import dev.beacon.billing.credit.store.HostedRateRepository;
import dev.beacon.billing.credit.store.LedgerRepository;
import dev.beacon.billing.credit.store.LedgerTransactionRow;
import dev.beacon.billing.notice.domain.NoticeService;
import dev.beacon.billing.notice.domain.Notices;
import dev.beacon.billing.subscription.domain.SubscriptionService;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Posts to the credit ledger and answers balances.
 *
 * <p>Every posting to a workspace runs in a transaction that first takes the workspace's advisory
 * lock, then grants the month's allowance if it was not granted yet (expiring what was left of the
 * previous one), posts, and finally records whether the balance still allows hosted LLM use. Each
 * transaction's reference is unique, so a redelivered event or webhook posts nothing the second
 * time. A change of {@code hosted_llm_allowed} is published after the commit.
 *
 * <p>Two postings record billing notices in their transaction: a debit that takes the balance from
 * at or above the low threshold ({@code beacon.billing.credits-low-percent} of the month's granted
 * allowance) to below it but still above zero ({@code credits_low}, id = that debit's transaction),
 * and any posting after which hosted use flips to blocked ({@code credits_exhausted}, id = the
 * workspace's latest transaction then).
 */
@Service
public class LedgerService {

  private static final Logger log = LoggerFactory.getLogger(LedgerService.class);

  private final LedgerRepository ledger;
  private final HostedRateRepository rates;
  private final CreditPurchaseRepository purchases;
  private final SubscriptionService subscriptions;
  private final NoticeService notices;
  private final TransactionalOperator transaction;
  private final BillingProperties properties;
  private final Clock clock;

  LedgerService(
      LedgerRepository ledger,
      HostedRateRepository rates,
      CreditPurchaseRepository purchases,
      SubscriptionService subscriptions,
      NoticeService notices,
      TransactionalOperator transaction,
      BillingProperties properties,
      Clock clock) {
    this.ledger = ledger;
    this.rates = rates;
    this.purchases = purchases;
    this.subscriptions = subscriptions;
    this.notices = notices;
    this.transaction = transaction;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Debits hosted calls in one transaction, each once (by event id), from the month's allowance
   * first, then from purchased credits. Publishes nothing.
   *
   * @return the workspaces whose hosted LLM use flipped and those that got notices, to publish
   *     after the commit
   */
  public Mono<DebitResult> debit(List<HostedLlmCall> calls) {
    if (calls.isEmpty()) {
      return Mono.just(new DebitResult(Set.of(), Set.of()));
    }
    Instant now = clock.instant();
    // locks are taken in workspace order, so two batches never wait for each other in a circle
    Map<String, List<HostedLlmCall>> byWorkspace = new TreeMap<>();
    calls.forEach(
        call -> byWorkspace.computeIfAbsent(call.workspaceId(), ws -> new ArrayList<>()).add(call));
    Set<String> noticed = new TreeSet<>();
    return rates
        .findAll()
        .collectList()
        .map(RateTable::new)
        .flatMap(
            table ->
                Flux.fromIterable(byWorkspace.entrySet())
                    .concatMap(
                        workspace ->
                            debit(workspace.getKey(), workspace.getValue(), table, now, noticed)
                                .filter(flip -> flip)
                                .map(flip -> workspace.getKey()))
                    .collect(Collectors.toCollection(TreeSet::new)))
        .as(transaction::transactional)
        .map(
            flipped -> {
              // a flip to blocked carries a credits_exhausted notice (to unblocked, none: the
              // publish then finds nothing)
              noticed.addAll(flipped);
              return new DebitResult(Set.copyOf(flipped), Set.copyOf(noticed));
            });
  }

  /**
   * What a batch of debits changed.
   *
   * @param flipped the workspaces whose hosted LLM use flipped: publish their entitlements
   * @param noticed the workspaces that may have new notices: publish their notices
   */
  public record DebitResult(Set<String> flipped, Set<String> noticed) {}

  private Mono<Boolean> debit(
      String ws, List<HostedLlmCall> calls, RateTable table, Instant now, Set<String> noticed) {
    return open(ws, now)
        .flatMap(
            allowanceBalance ->
                ledger
                    .balance(Accounts.purchased(ws))
                    .flatMap(
                        purchased ->
                            lowThreshold(ws, now)
                                .flatMap(
                                    threshold ->
                                        debit(
                                            ws,
                                            calls,
                                            table,
                                            now,
                                            allowanceBalance,
                                            Math.addExact(allowanceBalance, purchased),
                                            threshold,
                                            noticed))));
  }

  private Mono<Boolean> debit(
      String ws,
      List<HostedLlmCall> calls,
      RateTable table,
      Instant now,
      long allowanceBalance,
      long balanceBefore,
      long threshold,
      Set<String> noticed) {
    long[] allowanceLeft = {Math.max(0, allowanceBalance)};
    long[] balance = {balanceBefore};
    return Flux.fromIterable(calls)
        .concatMap(
            call -> {
              long credits =
                  table
                      .rateFor(call.provider(), call.model())
                      .creditsFor(
                          call.inputTokens(), call.cachedInputTokens(), call.outputTokens());
              long fromAllowance = Math.min(credits, allowanceLeft[0]);
              NewTransaction debit =
                  new NewTransaction(
                      ws,
                      "debit_usage",
                      call.reference(),
                      null,
                      String.format(
                          "Hosted %s %s: %d input (%d cached), %d output tokens",
                          call.provider(),
                          call.model(),
                          call.inputTokens(),
                          call.cachedInputTokens(),
                          call.outputTokens()),
                      List.of(
                          new LedgerEntry(Accounts.allowance(ws), -fromAllowance),
                          new LedgerEntry(Accounts.purchased(ws), -(credits - fromAllowance)),
                          new LedgerEntry(Accounts.SYSTEM_USAGE, credits)));
              return ledger
                  .post(debit, now)
                  .flatMap(
                      id -> {
                        allowanceLeft[0] -= fromAllowance;
                        long before = balance[0];
                        balance[0] = before - credits;
                        if (threshold > 0
                            && before >= threshold
                            && balance[0] < threshold
                            && balance[0] > 0) {
                          noticed.add(ws);
                          return notices.record(
                              Notices.creditsLow(ws, id, balance[0], threshold, now));
                        }
                        return Mono.empty();
                      });
            })
        .then(settle(ws));
  }

  /**
   * The balance below which a debit tells the workspace its credits run low: the configured share
   * of this month's granted allowance (0, telling nothing, when none was granted).
   */
  private Mono<Long> lowThreshold(String ws, Instant now) {
    return ledger
        .granted(allowanceReference(ws, month(now)), Accounts.allowance(ws))
        .map(granted -> granted / 100 * properties.creditsLowPercent());
  }

  /**
   * Grants a purchased credit pack, once per Checkout Session; meant to run inside the transaction
   * that logs its Stripe event.
   */
  public Mono<CreditOutcome> grantPurchase(CreditPurchase purchase) {
    String ws = purchase.workspaceId();
    if (ws == null) {
      return Mono.just(CreditOutcome.of("unmatched", null));
    }
    if (!purchase.paid()) {
      return Mono.just(CreditOutcome.of("ignored", ws));
    }
    Instant now = clock.instant();
    return purchases
        .findPack(purchase.packId())
        .flatMap(
            pack ->
                open(ws, now)
                    .then(
                        ledger.post(
                            new NewTransaction(
                                ws,
                                "grant_purchase",
                                "checkout:" + purchase.sessionId(),
                                null,
                                "Credit pack " + pack.id() + " (" + pack.name() + ")",
                                List.of(
                                    new LedgerEntry(Accounts.SYSTEM_PURCHASES, -pack.credits()),
                                    new LedgerEntry(Accounts.purchased(ws), pack.credits()))),
                            now))
                    .flatMap(
                        grant ->
                            purchases
                                .insert(
                                    new CreditPurchaseRow(
                                        purchase.sessionId(),
                                        purchase.paymentIntentId(),
                                        ws,
                                        pack.id(),
                                        pack.credits(),
                                        purchase.amountCents(),
                                        grant),
                                    now)
                                .then(settle(ws))
                                .map(flipped -> new CreditOutcome("applied", ws, flipped)))
                    .defaultIfEmpty(CreditOutcome.of("duplicate", ws)))
        .defaultIfEmpty(CreditOutcome.of("unmatched", ws));
  }

  /**
   * Reverses the refunded share of a purchase: Stripe's {@code amount_refunded} is cumulative, so
   * only what earlier reversals of the purchase did not take back yet. Meant to run inside the
   * transaction that logs its Stripe event.
   */
  public Mono<CreditOutcome> reverse(CreditRefund refund) {
    if (refund.paymentIntentId() == null) {
      return Mono.just(CreditOutcome.of("unmatched", null));
    }
    Instant now = clock.instant();
    return purchases
        .findByPaymentIntent(refund.paymentIntentId())
        .flatMap(
            purchase -> {
              String ws = purchase.workspaceId();
              long target = refundedCredits(purchase, refund);
              return open(ws, now)
                  .then(ledger.reversed(purchase.grantTransactionId(), Accounts.purchased(ws)))
                  .flatMap(
                      reversed -> {
                        long more = target - reversed;
                        if (more <= 0) {
                          return Mono.just(CreditOutcome.of("stale", ws));
                        }
                        return ledger
                            .post(
                                new NewTransaction(
                                    ws,
                                    "reversal",
                                    "stripe:" + refund.stripeEventId(),
                                    purchase.grantTransactionId(),
                                    String.format(
                                        "Refund of credit pack %s: %d of %d cents refunded",
                                        purchase.packId(),
                                        refund.amountRefundedCents(),
                                        refund.amountCents()),
                                    List.of(
                                        new LedgerEntry(Accounts.purchased(ws), -more),
                                        new LedgerEntry(Accounts.SYSTEM_REFUNDS, more))),
                                now)
                            .flatMap(id -> settle(ws))
                            .map(flipped -> new CreditOutcome("applied", ws, flipped))
                            .defaultIfEmpty(CreditOutcome.of("duplicate", ws));
                      });
            })
        .defaultIfEmpty(CreditOutcome.of("unmatched", null));
  }

  /**
   * The credits of a purchase that the refunds so far stand for: all of them once the whole charge
   * is refunded, else the refunded share rounded down to a whole credit.
   */
  static long refundedCredits(CreditPurchaseRow purchase, CreditRefund refund) {
    if (refund.amountRefundedCents() <= 0) {
      return 0;
    }
    if (refund.amountCents() <= 0 || refund.amountRefundedCents() >= refund.amountCents()) {
      return purchase.credits();
    }
    return BigInteger.valueOf(purchase.credits())
        .multiply(BigInteger.valueOf(refund.amountRefundedCents()))
        .divide(BigInteger.valueOf(refund.amountCents()))
        .longValueExact();
  }

  /** The workspace's credits now; grants the month's allowance first if it is the first read. */
  public Mono<CreditSummary> summary(String workspaceId) {
    return summary(workspaceId, clock.instant());
  }

  /** The workspace's credits at {@code now}, whose month decides the allowance. */
  public Mono<CreditSummary> summary(String workspaceId, Instant now) {
    YearMonth month = month(now);
    String allowance = Accounts.allowance(workspaceId);
    return open(workspaceId, now)
        .then(
            // one after the other: the statements share the transaction's connection
            Flux.concat(
                    ledger.balance(allowance),
                    ledger.balance(Accounts.purchased(workspaceId)),
                    ledger.granted(allowanceReference(workspaceId, month), allowance),
                    settle(workspaceId).map(flipped -> flipped ? 1L : 0L))
                .collectList())
        .as(transaction::transactional)
        .flatMap(
            values -> {
              Mono<Void> publish =
                  values.get(3) == 1L
                      ? Mono.when(subscriptions.publish(workspaceId), notices.publish(workspaceId))
                      : Mono.empty();
              return publish.thenReturn(
                  CreditSummary.of(
                      workspaceId, values.get(0), values.get(1), month, values.get(2)));
            });
  }

  /**
   * Reads every blocked workspace's credits, which grants the new month's allowance to the ones
   * that have not used hosted calls since (they cannot: they are blocked) and so unblocks them.
   *
   * @return how many blocked workspaces were looked at
   */
  public Mono<Long> refreshBlocked(Instant now) {
    return subscriptions
        .hostedLlmBlocked()
        .collectList()
        .flatMapMany(Flux::fromIterable)
        .concatMap(ws -> summary(ws, now))
        .count();
  }

  /** A page of the workspace's transactions, newest first, below {@code beforeId} if given. */
  public Mono<LedgerPage> page(String workspaceId, Long beforeId, int limit) {
    return ledger
        .page(workspaceId, beforeId, limit + 1)
        .map(
            rows -> {
              List<LedgerTransactionRow> page = rows.subList(0, Math.min(limit, rows.size()));
              Long next = rows.size() > limit ? page.get(page.size() - 1).id() : null;
              return new LedgerPage(List.copyOf(page), next);
            });
  }

  /**
   * Locks the workspace, creates its accounts, and grants the month's allowance unless it was
   * granted: first the previous allowance's unused part expires, then the plan's allowance is
   * granted. Completes with the allowance account's balance.
   */
  private Mono<Long> open(String ws, Instant now) {
    YearMonth month = month(now);
    String reference = allowanceReference(ws, month);
    String allowance = Accounts.allowance(ws);
    return ledger
        .lock(ws)
        .then(ledger.ensureAccounts(ws))
        .then(ledger.exists(reference))
        .flatMap(
            granted ->
                granted
                    ? Mono.<Void>empty()
                    : ledger
                        .balance(allowance)
                        .flatMap(unused -> expire(ws, unused, month, now))
                        .then(subscriptions.effective(ws))
                        .flatMap(
                            state -> {
                              long credits = state.entitlements().hostedCreditAllowance();
                              log.info(
                                  "Granting workspace {} the {} allowance of {} credits ({})",
                                  ws,
                                  month,
                                  credits,
                                  state.plan());
                              return ledger
                                  .post(
                                      new NewTransaction(
                                          ws,
                                          "grant_allowance",
                                          reference,
                                          null,
                                          "Monthly allowance of plan "
                                              + state.plan()
                                              + " for "
                                              + month,
                                          List.of(
                                              new LedgerEntry(Accounts.SYSTEM_ALLOWANCE, -credits),
                                              new LedgerEntry(allowance, credits))),
                                      now)
                                  .then();
                            }))
        .then(ledger.balance(allowance));
  }

  private Mono<Void> expire(String ws, long unused, YearMonth month, Instant now) {
    if (unused <= 0) {
      return Mono.empty();
    }
    return ledger
        .post(
            new NewTransaction(
                ws,
                "expiry",
                "allowance-expiry:" + ws + ":" + month,
                null,
                "Unused allowance expired at the start of " + month,
                List.of(
                    new LedgerEntry(Accounts.allowance(ws), -unused),
                    new LedgerEntry(Accounts.SYSTEM_ALLOWANCE, unused))),
            now)
        .then();
  }

  /**
   * Records whether the balance allows hosted LLM use, and a {@code credits_exhausted} notice when
   * it flipped to blocked; completes with whether it flipped.
   */
  private Mono<Boolean> settle(String ws) {
    return ledger
        .balance(Accounts.allowance(ws))
        .flatMap(
            allowance ->
                ledger
                    .balance(Accounts.purchased(ws))
                    .map(purchased -> Math.addExact(allowance, purchased)))
        .flatMap(
            balance ->
                subscriptions
                    .recordHostedLlmAllowed(ws, balance > 0)
                    .flatMap(
                        flipped ->
                            flipped && balance <= 0
                                ? ledger
                                    .latestTransactionId(ws)
                                    .flatMap(
                                        id ->
                                            notices.record(
                                                Notices.creditsExhausted(
                                                    ws, id, balance, clock.instant())))
                                    .thenReturn(true)
                                : Mono.just(flipped)));
  }

  private static YearMonth month(Instant now) {
    return YearMonth.from(now.atOffset(ZoneOffset.UTC));
  }

  private static String allowanceReference(String ws, YearMonth month) {
    return "allowance:" + ws + ":" + month;
  }
}
