package dev.beacon.billing.credit.store;

import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Credit packs and the purchases of them, through R2DBC. */
@Repository
public class CreditPurchaseRepository {

  private final DatabaseClient db;

  CreditPurchaseRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Every credit pack, cheapest first. */
  public Flux<CreditPackRow> allPacks() {
    return db.sql("SELECT id, name, price_cents, credits FROM credit_packs ORDER BY position")
        .map(
            row ->
                new CreditPackRow(
                    row.get("id", String.class),
                    row.get("name", String.class),
                    row.get("price_cents", Long.class),
                    row.get("credits", Long.class)))
        .all();
  }

  /** The pack with this id. */
  public Mono<CreditPackRow> findPack(String packId) {
    return db.sql("SELECT id, name, price_cents, credits FROM credit_packs WHERE id = :id")
        .bind("id", packId)
        .map(
            row ->
                new CreditPackRow(
                    row.get("id", String.class),
                    row.get("name", String.class),
                    row.get("price_cents", Long.class),
                    row.get("credits", Long.class)))
        .one();
  }

  /** Records the purchase behind a grant. */
  public Mono<Void> insert(CreditPurchaseRow purchase, Instant now) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO credit_purchases (stripe_session_id, stripe_payment_intent_id,"
                    + " workspace_id, pack_id, credits, amount_cents, grant_transaction_id,"
                    + " created_at) VALUES (:session, :intent, :ws, :pack, :credits, :amount,"
                    + " :grant, :now)")
            .bind("session", purchase.sessionId())
            .bind("ws", purchase.workspaceId())
            .bind("pack", purchase.packId())
            .bind("credits", purchase.credits())
            .bind("amount", purchase.amountCents())
            .bind("grant", purchase.grantTransactionId())
            .bind("now", now.atOffset(ZoneOffset.UTC));
    spec =
        purchase.paymentIntentId() == null
            ? spec.bindNull("intent", String.class)
            : spec.bind("intent", purchase.paymentIntentId());
    return spec.then();
  }

  /** The purchase paid with this payment intent. */
  public Mono<CreditPurchaseRow> findByPaymentIntent(String paymentIntentId) {
    return db.sql(
            "SELECT stripe_session_id, stripe_payment_intent_id, workspace_id, pack_id, credits,"
                + " amount_cents, grant_transaction_id FROM credit_purchases"
                + " WHERE stripe_payment_intent_id = :intent")
        .bind("intent", paymentIntentId)
        .map(
            row ->
                new CreditPurchaseRow(
                    row.get("stripe_session_id", String.class),
                    row.get("stripe_payment_intent_id", String.class),
                    row.get("workspace_id", String.class),
                    row.get("pack_id", String.class),
                    row.get("credits", Long.class),
                    row.get("amount_cents", Long.class),
                    row.get("grant_transaction_id", Long.class)))
        .one();
  }
}
