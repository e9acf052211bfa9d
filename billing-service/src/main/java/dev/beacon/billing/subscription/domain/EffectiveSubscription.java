package dev.beacon.billing.subscription.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A workspace's effective plan and entitlements: the record on {@code billing.entitlements.v1} and
 * the body of {@code GET /api/billing/subscription}.
 *
 * @param workspaceId the workspace (also the record key)
 * @param plan the effective plan id; {@code free} without a subscription, after cancellation, and
 *     once a grace period is over
 * @param subscribedPlan the plan of the subscription row, or {@code null} when there is none
 * @param status {@code active}, {@code past_due} or {@code canceled}; {@code null} without a
 *     subscription
 * @param currentPeriodEnd the end of the paid period, if known
 * @param graceUntil while past due, when the workspace falls back to Free
 * @param entitlements the effective plan's limits, absolute, and whether hosted LLM use is allowed
 * @param revision raised by every change of the workspace's subscription and of its hosted LLM
 *     access; a consumer keeps the record with the highest revision (0 for a workspace that never
 *     had either)
 */
public record EffectiveSubscription(
    @JsonProperty("workspace_id") String workspaceId,
    @JsonProperty("plan") String plan,
    @JsonProperty("subscribed_plan") String subscribedPlan,
    @JsonProperty("status") String status,
    @JsonProperty("current_period_end") Instant currentPeriodEnd,
    @JsonProperty("grace_until") Instant graceUntil,
    @JsonProperty("entitlements") WorkspaceEntitlements entitlements,
    @JsonProperty("revision") long revision) {}
