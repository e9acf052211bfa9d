package dev.beacon.billing.credit.domain;

/**
 * One leg of a ledger transaction.
 *
 * @param accountId the account, see {@link Accounts}
 * @param amount signed credits: positive adds to the account
 */
public record LedgerEntry(String accountId, long amount) {}
