package dev.beacon.billing.contact.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The contacts table, through R2DBC. */
@Repository
public class ContactRepository {

  /**
   * One workspace's contact.
   *
   * @param email the address
   * @param source {@code workspace} (set on the Billing page) or {@code stripe} (from a Checkout)
   * @param updatedAt when it was set
   */
  public record ContactRow(String email, String source, Instant updatedAt) {}

  private final DatabaseClient db;

  ContactRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<ContactRow> find(String workspaceId) {
    return db.sql("SELECT email, source, updated_at FROM contacts WHERE workspace_id = :ws")
        .bind("ws", workspaceId)
        .map(
            row ->
                new ContactRow(
                    row.get("email", String.class),
                    row.get("source", String.class),
                    row.get("updated_at", OffsetDateTime.class).toInstant()))
        .one();
  }

  /** Sets the workspace's own address, replacing whatever was there. */
  public Mono<Void> setByWorkspace(String workspaceId, String email, Instant now) {
    return db.sql(
            "INSERT INTO contacts (workspace_id, email, source, updated_at)"
                + " VALUES (:ws, :email, 'workspace', :now) ON CONFLICT (workspace_id) DO UPDATE"
                + " SET email = EXCLUDED.email, source = 'workspace', updated_at = EXCLUDED.updated_at")
        .bind("ws", workspaceId)
        .bind("email", email)
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .then();
  }

  /**
   * Records the address a Checkout collected, unless the workspace set its own.
   *
   * @return whether the row changed
   */
  public Mono<Boolean> learnFromStripe(String workspaceId, String email, Instant now) {
    return db.sql(
            "INSERT INTO contacts (workspace_id, email, source, updated_at)"
                + " VALUES (:ws, :email, 'stripe', :now) ON CONFLICT (workspace_id) DO UPDATE"
                + " SET email = EXCLUDED.email, updated_at = EXCLUDED.updated_at"
                + " WHERE contacts.source = 'stripe' AND contacts.email <> EXCLUDED.email")
        .bind("ws", workspaceId)
        .bind("email", email)
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }

  /**
   * @return whether there was one
   */
  public Mono<Boolean> delete(String workspaceId) {
    return db.sql("DELETE FROM contacts WHERE workspace_id = :ws")
        .bind("ws", workspaceId)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }
}
