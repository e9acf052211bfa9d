package dev.beacon.billing.notice.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The six kinds of notice, each with its deterministic id and its text. Every id names what caused
 * the notice once, so recording it again (a redelivered webhook, a retried batch, the next sweep)
 * inserts nothing.
 */
public final class Notices {

  /** Where every notice links to: the web app's Billing page. */
  static final String LINK = "/billing";

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private Notices() {}

  /** A payment failed and started a grace period; one per grace period. */
  public static BillingNotice paymentFailed(
      String ws, String plan, Instant graceUntil, Instant now) {
    return new BillingNotice(
        "payment_failed:" + ws + ":" + graceUntil.getEpochSecond(),
        ws,
        "payment_failed",
        now,
        "Payment failed",
        "The payment for the "
            + planName(plan)
            + " plan failed. Update the payment method by "
            + WHEN.format(graceUntil)
            + " to keep the plan; after that the workspace moves to Free.",
        LINK,
        Map.of("plan", plan, "grace_until", graceUntil.toString()));
  }

  /** The grace period ends within a day; one per grace period. */
  public static BillingNotice graceEnding(String ws, String plan, Instant graceUntil, Instant now) {
    return new BillingNotice(
        "grace_ending:" + ws + ":" + graceUntil.getEpochSecond(),
        ws,
        "grace_ending",
        now,
        "Grace period ends soon",
        "The payment for the "
            + planName(plan)
            + " plan is still outstanding. The workspace moves to Free at "
            + WHEN.format(graceUntil)
            + " unless the payment goes through.",
        LINK,
        Map.of("plan", plan, "grace_until", graceUntil.toString()));
  }

  /** The grace period ended and the workspace is on Free; one per grace period. */
  public static BillingNotice downgradedToFree(
      String ws, String plan, Instant graceUntil, Instant now) {
    return new BillingNotice(
        "downgraded_to_free:" + ws + ":" + graceUntil.getEpochSecond(),
        ws,
        "downgraded_to_free",
        now,
        "Moved to the Free plan",
        "The payment for the "
            + planName(plan)
            + " plan did not go through before the grace period ended, so the workspace is on"
            + " Free now. Subscribe again on the Billing page to get the plan's limits back.",
        LINK,
        Map.of("plan", plan, "grace_until", graceUntil.toString()));
  }

  /**
   * A debit took the balance below the low threshold; one per crossing (per debit that crossed).
   */
  public static BillingNotice creditsLow(
      String ws, long transactionId, long balance, long threshold, Instant now) {
    return new BillingNotice(
        "credits_low:" + transactionId,
        ws,
        "credits_low",
        now,
        "Hosted credits running low",
        "The workspace has "
            + usd(balance)
            + " of hosted LLM credits left. Buy credits on the Billing page, or add your own API"
            + " key, before hosted calls stop at zero.",
        LINK,
        Map.of("balance", balance, "threshold", threshold, "transaction_id", transactionId));
  }

  /** The balance reached zero and hosted LLM use is blocked; one per flip to blocked. */
  public static BillingNotice creditsExhausted(
      String ws, long transactionId, long balance, Instant now) {
    return new BillingNotice(
        "credits_exhausted:" + transactionId,
        ws,
        "credits_exhausted",
        now,
        "Hosted credits used up",
        "The workspace's hosted LLM credits are used up, so hosted model calls are stopped. Buy"
            + " credits on the Billing page, or add your own API key.",
        LINK,
        Map.of("balance", balance, "transaction_id", transactionId));
  }

  /**
   * A credit pack paid with a delayed method (a bank debit) was not paid after all; nothing was
   * granted. One per Checkout Session.
   */
  public static BillingNotice creditPaymentFailed(
      String ws, String sessionId, String pack, Instant now) {
    return new BillingNotice(
        "credit_payment_failed:" + sessionId,
        ws,
        "credit_payment_failed",
        now,
        "Credit pack payment failed",
        "The payment for the credit pack "
            + pack
            + " did not go through, so no credits were added. Buy the pack again on the Billing"
            + " page with another payment method.",
        LINK,
        Map.of("credit_pack", pack, "checkout_session", sessionId));
  }

  private static String planName(String plan) {
    return plan == null || plan.isEmpty()
        ? "paid"
        : Character.toUpperCase(plan.charAt(0)) + plan.substring(1);
  }

  /** Credits (micro-USD) as dollars and cents, rounded down: {@code $0.08}. */
  private static String usd(long credits) {
    long cents = Math.max(0, credits) / 10_000;
    return String.format(Locale.ROOT, "$%d.%02d", cents / 100, cents % 100);
  }
}
