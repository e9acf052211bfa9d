package dev.beacon.billing.subscription.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.beacon.billing.plan.domain.Entitlements;

/**
 * A workspace's entitlements as published: its effective plan's limits, and whether its credit
 * balance lets it use hosted LLM calls.
 *
 * @param hostedLlmAllowed {@code false} once the workspace's credit balance reached zero or less;
 *     {@code true} again after a grant made it positive. chat-service refuses hosted calls while it
 *     is {@code false}
 */
public record WorkspaceEntitlements(
    @JsonProperty("retention_days") int retentionDays,
    @JsonProperty("events_per_month") long eventsPerMonth,
    @JsonProperty("alert_rules") int alertRules,
    @JsonProperty("members") int members,
    @JsonProperty("api_keys") int apiKeys,
    @JsonProperty("hosted_credit_allowance") long hostedCreditAllowance,
    @JsonProperty("hosted_llm_allowed") boolean hostedLlmAllowed) {

  static WorkspaceEntitlements of(Entitlements plan, boolean hostedLlmAllowed) {
    return new WorkspaceEntitlements(
        plan.retentionDays(),
        plan.eventsPerMonth(),
        plan.alertRules(),
        plan.members(),
        plan.apiKeys(),
        plan.hostedCreditAllowance(),
        hostedLlmAllowed);
  }
}
