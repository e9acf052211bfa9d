package dev.beacon.billing.plan.domain;

/**
 * A plan and its limits.
 *
 * @param id {@code free}, {@code pro}, {@code business} or {@code enterprise}
 * @param name the name shown to people
 * @param priceCentsMonthly the monthly price in US cents, or {@code null} for "contact us"
 * @param stripePriceId the Stripe price this plan is sold at, or {@code null} when none is
 *     configured
 * @param entitlements the plan's limits
 */
public record Plan(
    String id,
    String name,
    Long priceCentsMonthly,
    String stripePriceId,
    Entitlements entitlements) {

  /** The plan of every workspace without a subscription. */
  public static final String FREE = "free";
}
