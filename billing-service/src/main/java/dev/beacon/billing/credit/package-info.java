/**
 * The credit ledger: an append-only, double-entry record in whole credits (one credit is one
 * micro-USD) of monthly allowances, credit pack purchases, hosted LLM usage debited from {@code
 * llm_call} events, and refund reversals; balances, the ledger API, and blocking hosted LLM use at
 * a balance of zero (ADR 0023).
 */
package dev.beacon.billing.credit;
