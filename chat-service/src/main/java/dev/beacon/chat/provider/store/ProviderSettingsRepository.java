package dev.beacon.chat.provider.store;

import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A workspace's provider settings, through R2DBC. */
@Repository
public class ProviderSettingsRepository {

  private static final String COLUMNS =
      "workspace_id, provider, api_key_ciphertext, api_key_last4, base_url, default_model,"
          + " updated_by, updated_at";

  private final DatabaseClient db;

  ProviderSettingsRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Inserts or replaces the settings of one provider of one workspace. */
  public Mono<Void> upsert(ProviderSettingsRow row) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO provider_settings ("
                    + COLUMNS
                    + ") VALUES (:ws, :provider,"
                    + " :ciphertext, :last4, :baseUrl, :defaultModel, :updatedBy, :updatedAt)"
                    + " ON CONFLICT (workspace_id, provider) DO UPDATE SET"
                    + " api_key_ciphertext = EXCLUDED.api_key_ciphertext,"
                    + " api_key_last4 = EXCLUDED.api_key_last4, base_url = EXCLUDED.base_url,"
                    + " default_model = EXCLUDED.default_model,"
                    + " updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")
            .bind("ws", row.workspaceId())
            .bind("provider", row.provider())
            .bind("updatedBy", row.updatedBy())
            .bind("updatedAt", row.updatedAt().atOffset(ZoneOffset.UTC));
    spec =
        row.apiKeyCiphertext() == null
            ? spec.bindNull("ciphertext", ByteBuffer.class)
            : spec.bind("ciphertext", ByteBuffer.wrap(row.apiKeyCiphertext()));
    spec = bindNullable(spec, "last4", row.apiKeyLast4());
    spec = bindNullable(spec, "baseUrl", row.baseUrl());
    spec = bindNullable(spec, "defaultModel", row.defaultModel());
    return spec.then();
  }

  private static DatabaseClient.GenericExecuteSpec bindNullable(
      DatabaseClient.GenericExecuteSpec spec, String name, String value) {
    return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
  }

  /** One provider's settings of a workspace, if set. */
  public Mono<ProviderSettingsRow> find(String workspaceId, String provider) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM provider_settings WHERE workspace_id = :ws AND provider = :provider")
        .bind("ws", workspaceId)
        .bind("provider", provider)
        .map(ProviderSettingsRepository::toRow)
        .one();
  }

  /** Every provider's settings of a workspace. */
  public Flux<ProviderSettingsRow> findByWorkspace(String workspaceId) {
    return db.sql("SELECT " + COLUMNS + " FROM provider_settings WHERE workspace_id = :ws")
        .bind("ws", workspaceId)
        .map(ProviderSettingsRepository::toRow)
        .all();
  }

  /** Deletes one provider's settings; completes with whether there were any. */
  public Mono<Boolean> delete(String workspaceId, String provider) {
    return db.sql("DELETE FROM provider_settings WHERE workspace_id = :ws AND provider = :provider")
        .bind("ws", workspaceId)
        .bind("provider", provider)
        .fetch()
        .rowsUpdated()
        .map(count -> count > 0);
  }

  private static ProviderSettingsRow toRow(Readable row) {
    OffsetDateTime updatedAt = row.get("updated_at", OffsetDateTime.class);
    return new ProviderSettingsRow(
        row.get("workspace_id", String.class),
        row.get("provider", String.class),
        toBytes(row.get("api_key_ciphertext")),
        row.get("api_key_last4", String.class),
        row.get("base_url", String.class),
        row.get("default_model", String.class),
        row.get("updated_by", String.class),
        updatedAt == null ? null : updatedAt.toInstant());
  }

  private static byte[] toBytes(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
    return (byte[]) value;
  }
}
