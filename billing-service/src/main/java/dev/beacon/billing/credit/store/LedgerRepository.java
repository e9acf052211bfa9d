package dev.beacon.billing.credit.store;

import dev.beacon.billing.credit.domain.Accounts;
import dev.beacon.billing.credit.domain.LedgerEntry;
import dev.beacon.billing.credit.domain.NewTransaction;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The ledger, through R2DBC. Append-only: this class inserts and reads, nothing else, and the
 * database refuses UPDATE, DELETE and TRUNCATE of ledger rows.
 */
@Repository
public class LedgerRepository {

  private final DatabaseClient db;

  LedgerRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Serialises postings to one workspace until the surrounding transaction ends, so that a balance
   * read in it stays true until the transaction's own postings.
   */
  public Mono<Void> lock(String workspaceId) {
    return db.sql("SELECT pg_advisory_xact_lock(hashtext('billing.credits:' || :ws))")
        .bind("ws", workspaceId)
        .then();
  }

  /** Creates the workspace's two accounts unless they exist. */
  public Mono<Void> ensureAccounts(String workspaceId) {
    return db.sql(
            "INSERT INTO ledger_accounts (id, workspace_id, kind) VALUES"
                + " (:allowance, :ws, 'allowance'), (:purchased, :ws, 'purchased')"
                + " ON CONFLICT (id) DO NOTHING")
        .bind("allowance", Accounts.allowance(workspaceId))
        .bind("purchased", Accounts.purchased(workspaceId))
        .bind("ws", workspaceId)
        .then();
  }

  /** Whether a transaction with this reference was posted. */
  public Mono<Boolean> exists(String reference) {
    return db.sql("SELECT 1 AS one FROM ledger_transactions WHERE reference = :ref")
        .bind("ref", reference)
        .map(row -> true)
        .first()
        .defaultIfEmpty(false);
  }

  /**
   * Posts the transaction and its entries; completes empty, posting nothing, when a transaction
   * with its reference exists.
   *
   * @return the new transaction's id
   */
  public Mono<Long> post(NewTransaction transaction, Instant now) {
    DatabaseClient.GenericExecuteSpec insert =
        db.sql(
                "INSERT INTO ledger_transactions (workspace_id, kind, reference,"
                    + " reverses_transaction_id, description, created_at)"
                    + " VALUES (:ws, :kind, :ref, :reverses, :description, :now)"
                    + " ON CONFLICT (reference) DO NOTHING RETURNING id")
            .bind("ws", transaction.workspaceId())
            .bind("kind", transaction.kind())
            .bind("ref", transaction.reference())
            .bind("description", transaction.description())
            .bind("now", now.atOffset(ZoneOffset.UTC));
    insert =
        transaction.reversesTransactionId() == null
            ? insert.bindNull("reverses", Long.class)
            : insert.bind("reverses", transaction.reversesTransactionId());
    return insert
        .map(row -> row.get("id", Long.class))
        .one()
        .flatMap(id -> insertEntries(id, transaction.entries()).thenReturn(id));
  }

  private Mono<Void> insertEntries(long transactionId, List<LedgerEntry> entries) {
    if (entries.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            "INSERT INTO ledger_entries (transaction_id, account_id, amount)"
                + " SELECT :id, account, amount"
                + " FROM unnest(CAST(:accounts AS text[]), CAST(:amounts AS bigint[]))"
                + " AS e(account, amount)")
        .bind("id", transactionId)
        .bind("accounts", entries.stream().map(LedgerEntry::accountId).toArray(String[]::new))
        .bind("amounts", entries.stream().map(LedgerEntry::amount).toArray(Long[]::new))
        .then();
  }

  /** The id of the workspace's newest transaction. */
  public Mono<Long> latestTransactionId(String workspaceId) {
    return db.sql("SELECT max(id) AS id FROM ledger_transactions WHERE workspace_id = :ws")
        .bind("ws", workspaceId)
        .map(row -> row.get("id", Long.class))
        .one();
  }

  /** The sum of the account's entries. */
  public Mono<Long> balance(String accountId) {
    return db.sql(
            "SELECT COALESCE(sum(amount), 0)::bigint AS balance FROM ledger_entries"
                + " WHERE account_id = :account")
        .bind("account", accountId)
        .map(row -> row.get("balance", Long.class))
        .one();
  }

  /** The credits of one grant taken back so far by reversals from this account. */
  public Mono<Long> reversed(long grantTransactionId, String accountId) {
    return db.sql(
            "SELECT COALESCE(-sum(e.amount), 0)::bigint AS reversed FROM ledger_transactions t"
                + " JOIN ledger_entries e ON e.transaction_id = t.id"
                + " WHERE t.reverses_transaction_id = :grant AND e.account_id = :account")
        .bind("grant", grantTransactionId)
        .bind("account", accountId)
        .map(row -> row.get("reversed", Long.class))
        .one();
  }

  /** The credits granted by the transaction with this reference; 0 if it was not posted. */
  public Mono<Long> granted(String reference, String accountId) {
    return db.sql(
            "SELECT COALESCE(sum(e.amount), 0)::bigint AS granted FROM ledger_transactions t"
                + " JOIN ledger_entries e ON e.transaction_id = t.id"
                + " WHERE t.reference = :ref AND e.account_id = :account")
        .bind("ref", reference)
        .bind("account", accountId)
        .map(row -> row.get("granted", Long.class))
        .one();
  }

  /**
   * The workspace's transactions with ids below {@code beforeId} (all when {@code null}), newest
   * first, with their entries.
   */
  public Mono<List<LedgerTransactionRow>> page(String workspaceId, Long beforeId, int limit) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "SELECT id, kind, reference, description, created_at FROM ledger_transactions"
                    + " WHERE workspace_id = :ws AND (CAST(:before AS bigint) IS NULL"
                    + " OR id < CAST(:before AS bigint))"
                    + " ORDER BY id DESC LIMIT :limit")
            .bind("ws", workspaceId)
            .bind("limit", limit);
    spec = beforeId == null ? spec.bindNull("before", Long.class) : spec.bind("before", beforeId);
    return spec.map(
            row ->
                new LedgerTransactionRow(
                    row.get("id", Long.class),
                    row.get("kind", String.class),
                    row.get("reference", String.class),
                    row.get("description", String.class),
                    row.get("created_at", OffsetDateTime.class).toInstant(),
                    List.of()))
        .all()
        .collectList()
        .flatMap(this::withEntries);
  }

  private Mono<List<LedgerTransactionRow>> withEntries(List<LedgerTransactionRow> transactions) {
    if (transactions.isEmpty()) {
      return Mono.just(transactions);
    }
    return Flux.defer(
            () ->
                db.sql(
                        "SELECT transaction_id, account_id, amount FROM ledger_entries"
                            + " WHERE transaction_id = ANY(CAST(:ids AS bigint[]))"
                            + " ORDER BY transaction_id, account_id")
                    .bind(
                        "ids",
                        transactions.stream().map(LedgerTransactionRow::id).toArray(Long[]::new))
                    .map(
                        row ->
                            Map.entry(
                                row.get("transaction_id", Long.class),
                                new LedgerEntry(
                                    row.get("account_id", String.class),
                                    row.get("amount", Long.class))))
                    .all())
        .collectList()
        .map(
            rows -> {
              Map<Long, List<LedgerEntry>> byTransaction = new LinkedHashMap<>();
              rows.forEach(
                  e ->
                      byTransaction
                          .computeIfAbsent(e.getKey(), id -> new ArrayList<>())
                          .add(e.getValue()));
              return transactions.stream()
                  .map(
                      t ->
                          new LedgerTransactionRow(
                              t.id(),
                              t.kind(),
                              t.reference(),
                              t.description(),
                              t.createdAt(),
                              List.copyOf(byTransaction.getOrDefault(t.id(), List.of()))))
                  .toList();
            });
  }
}
