package dev.beacon.entitlements;

/**
 * What a workspace may use now, as absolute limits, and the billing revision they come from.
 *
 * @param plan the effective plan's id ({@code free}, {@code pro}, …), for messages
 * @param retentionDays days the aggregator keeps the workspace's events
 * @param eventsPerMonth events ingest accepts per calendar month (UTC)
 * @param alertRules alert rules the workspace may have
 * @param members members of the workspace
 * @param apiKeys active ingest API keys
 * @param hostedCreditAllowance credits (micro-USD) granted per month for hosted LLM use
 * @param hostedLlmAllowed whether chat may call the platform's own provider keys for the workspace
 *     ({@code false} once its credit balance is used up)
 * @param revision billing's revision of the record; {@code 0} for Free's defaults
 */
public record Entitlements(
    String plan,
    int retentionDays,
    long eventsPerMonth,
    int alertRules,
    int members,
    int apiKeys,
    long hostedCreditAllowance,
    boolean hostedLlmAllowed,
    long revision) {

  /** The plan id of a workspace without a record. */
  public static final String FREE = "free";
}
