package dev.beacon.billing.credit.domain;

import java.util.List;
import java.util.Objects;

/**
 * A ledger transaction about to be posted: the only way rows enter the ledger. Its entries sum to
 * zero (checked here and, at commit, by the database); entries of zero credits are left out, so a
 * transaction of nothing (a call that cost no credit) is recorded without entries.
 *
 * @param workspaceId the workspace it concerns
 * @param kind {@code grant_allowance}, {@code expiry}, {@code grant_purchase}, {@code debit_usage}
 *     or {@code reversal}
 * @param reference what caused it, unique: a second transaction with the same reference is never
 *     posted
 * @param reversesTransactionId for a reversal, the purchase it reverses part of
 * @param description what it was, for people
 * @param entries the legs
 */
public record NewTransaction(
    String workspaceId,
    String kind,
    String reference,
    Long reversesTransactionId,
    String description,
    List<LedgerEntry> entries) {

  public NewTransaction {
    Objects.requireNonNull(workspaceId, "workspaceId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(description, "description");
    entries = entries.stream().filter(entry -> entry.amount() != 0).toList();
    long sum = 0;
    for (LedgerEntry entry : entries) {
      sum = Math.addExact(sum, entry.amount());
    }
    if (sum != 0) {
      throw new IllegalArgumentException(
          "ledger transaction " + reference + " does not sum to zero: " + entries);
    }
  }
}
