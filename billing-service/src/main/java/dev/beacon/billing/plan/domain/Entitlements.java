package dev.beacon.billing.plan.domain;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a workspace may use, as absolute limits.
 *
 * @param retentionDays days the aggregator keeps events
 * @param eventsPerMonth events ingest accepts per calendar month (UTC)
 * @param alertRules alert rules the workspace may have
 * @param members members of the workspace
 * @param apiKeys active ingest API keys
 * @param hostedCreditAllowance credits granted per month for hosted LLM use; one credit is one
 *     micro-USD
 */
public record Entitlements(
    @JsonProperty("retention_days") int retentionDays,
    @JsonProperty("events_per_month") long eventsPerMonth,
    @JsonProperty("alert_rules") int alertRules,
    @JsonProperty("members") int members,
    @JsonProperty("api_keys") int apiKeys,
    @JsonProperty("hosted_credit_allowance") long hostedCreditAllowance) {}
