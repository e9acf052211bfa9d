package dev.beacon.billing.credit.domain;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.YearMonth;

/**
 * A workspace's credits now: the body of {@code GET /api/billing/credits}. All amounts in credits
 * (micro-USD).
 *
 * @param workspaceId the workspace
 * @param balance everything it may spend: {@code allowance_balance + purchased_balance}; hosted LLM
 *     use is blocked while it is zero or less
 * @param allowanceBalance what is left of this month's allowance; expires at the end of the month
 * @param purchasedBalance what is left of purchased credits (below zero after usage beyond the
 *     balance, which the calls already made can cause)
 * @param allowanceMonth the calendar month (UTC) of the allowance
 * @param allowanceGranted the allowance granted for that month
 * @param hostedLlmAllowed whether hosted LLM calls are allowed
 */
public record CreditSummary(
    @JsonProperty("workspace_id") String workspaceId,
    @JsonProperty("balance") long balance,
    @JsonProperty("allowance_balance") long allowanceBalance,
    @JsonProperty("purchased_balance") long purchasedBalance,
    @JsonProperty("allowance_month") String allowanceMonth,
    @JsonProperty("allowance_granted") long allowanceGranted,
    @JsonProperty("hosted_llm_allowed") boolean hostedLlmAllowed) {

  static CreditSummary of(
      String workspaceId, long allowance, long purchased, YearMonth month, long granted) {
    long balance = Math.addExact(allowance, purchased);
    return new CreditSummary(
        workspaceId, balance, allowance, purchased, month.toString(), granted, balance > 0);
  }
}
