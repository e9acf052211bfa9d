package dev.beacon.billing.credit.domain;

import dev.beacon.billing.credit.store.LedgerTransactionRow;
import java.util.List;

/**
 * One page of a workspace's transactions, newest first.
 *
 * @param transactions the transactions with their entries
 * @param nextBeforeId the id to continue below, or {@code null} on the last page
 */
public record LedgerPage(List<LedgerTransactionRow> transactions, Long nextBeforeId) {}
