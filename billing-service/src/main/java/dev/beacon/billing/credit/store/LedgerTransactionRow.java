package dev.beacon.billing.credit.store;

import dev.beacon.billing.credit.domain.LedgerEntry;
import java.time.Instant;
import java.util.List;

/** A row of {@code ledger_transactions} with its entries. */
public record LedgerTransactionRow(
    long id,
    String kind,
    String reference,
    String description,
    Instant createdAt,
    List<LedgerEntry> entries) {}
