package dev.beacon.ingest.apikey.store;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** API keys and their recent rejections, through R2DBC. */
@Repository
public class ApiKeyRepository {

  private static final String COLUMNS =
      "id, workspace_id, name, display_prefix, secret_sha256, scopes, rate_limit_per_second,"
          + " created_by, created_at, expires_at, last_used_at, revoked_at, agent_id";

  private static final String ACTIVE =
      "workspace_id = :ws AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)";

  private final DatabaseClient db;
  private final TransactionalOperator tx;

  ApiKeyRepository(DatabaseClient db, ReactiveTransactionManager transactions) {
    this.db = db;
    this.tx = TransactionalOperator.create(transactions);
  }

  /**
   * Inserts a key unless its workspace already has {@code limit} active keys (neither revoked nor
   * expired at {@code now}). Creates of one workspace are serialised by a transaction-scoped
   * advisory lock, taken before counting, so that two concurrent creates at the limit cannot both
   * see room.
   *
   * @return {@code false} when the workspace is at its limit
   */
  public Mono<Boolean> insertWithin(ApiKeyRow row, int limit, Instant now) {
    Mono<Void> lock =
        db.sql("SELECT pg_advisory_xact_lock(hashtext('obs_ingest.api_keys:' || :ws))")
            .bind("ws", row.workspaceId())
            .then();
    return lock.then(countActive(row.workspaceId(), now))
        .flatMap(active -> active >= limit ? Mono.just(false) : insertIfAbsent(row))
        .as(tx::transactional);
  }

  /** The workspace's active keys: neither revoked nor expired at {@code now}. */
  public Mono<Long> countActive(String workspaceId, Instant now) {
    return db.sql("SELECT count(*) AS n FROM api_keys WHERE " + ACTIVE)
        .bind("ws", workspaceId)
        .bind("now", utc(now))
        .map(row -> row.get("n", Long.class))
        .one();
  }

  /** Inserts a key; completes with {@code false} when a key with the same secret exists. */
  public Mono<Boolean> insertIfAbsent(ApiKeyRow row) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO api_keys (id, workspace_id, name, display_prefix, secret_sha256,"
                    + " scopes, rate_limit_per_second, created_by, created_at, expires_at, agent_id)"
                    + " VALUES (:id, :workspaceId, :name, :prefix, :hash, :scopes, :rate,"
                    + " :createdBy, :createdAt, :expiresAt, :agentId)"
                    + " ON CONFLICT (secret_sha256) DO NOTHING")
            .bind("id", row.id())
            .bind("workspaceId", row.workspaceId())
            .bind("name", row.name())
            .bind("prefix", row.displayPrefix())
            .bind("hash", row.secretSha256())
            .bind("scopes", row.scopes().toArray(String[]::new))
            .bind("createdAt", utc(row.createdAt()));
    spec = bindNullable(spec, "rate", row.rateLimitPerSecond(), Integer.class);
    spec = bindNullable(spec, "createdBy", row.createdBy(), String.class);
    spec =
        bindNullable(
            spec,
            "expiresAt",
            row.expiresAt() == null ? null : utc(row.expiresAt()),
            OffsetDateTime.class);
    spec = bindNullable(spec, "agentId", row.agentId(), String.class);
    return spec.fetch().rowsUpdated().map(count -> count > 0);
  }

  private static <T> DatabaseClient.GenericExecuteSpec bindNullable(
      DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  /** The key whose secret has this SHA-256, if any. */
  public Mono<ApiKeyRow> findBySecretHash(byte[] secretSha256) {
    return db.sql("SELECT " + COLUMNS + " FROM api_keys WHERE secret_sha256 = :hash")
        .bind("hash", secretSha256)
        .map(ApiKeyRepository::toRow)
        .one();
  }

  /** A workspace's key by id; empty for another workspace's key. */
  public Mono<ApiKeyRow> findInWorkspace(String workspaceId, UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id AND workspace_id = :ws")
        .bind("id", id)
        .bind("ws", workspaceId)
        .map(ApiKeyRepository::toRow)
        .one();
  }

  /** A workspace's keys, newest first. */
  public Flux<ApiKeyRow> findByWorkspace(String workspaceId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM api_keys WHERE workspace_id = :ws ORDER BY created_at DESC")
        .bind("ws", workspaceId)
        .map(ApiKeyRepository::toRow)
        .all();
  }

  /** Revokes a workspace's key; completes with {@code false} when there is no such key. */
  public Mono<Boolean> revoke(String workspaceId, UUID id, Instant at) {
    return db.sql(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, :at)"
                + " WHERE id = :id AND workspace_id = :ws")
        .bind("at", utc(at))
        .bind("id", id)
        .bind("ws", workspaceId)
        .fetch()
        .rowsUpdated()
        .map(count -> count > 0);
  }

  /**
   * Sets the agent a workspace's key speaks for ({@code null}: any), unless the key is revoked.
   *
   * @return the key as it is now; empty when the workspace has no such key or it is revoked
   */
  public Mono<ApiKeyRow> updateAgentUnlessRevoked(String workspaceId, UUID id, String agentId) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "UPDATE api_keys SET agent_id = :agentId"
                    + " WHERE id = :id AND workspace_id = :ws AND revoked_at IS NULL"
                    + " RETURNING "
                    + COLUMNS)
            .bind("id", id)
            .bind("ws", workspaceId);
    return bindNullable(spec, "agentId", agentId, String.class).map(ApiKeyRepository::toRow).one();
  }

  /** Records that a key was used. */
  public Mono<Void> touch(UUID id, Instant at) {
    return db.sql("UPDATE api_keys SET last_used_at = :at WHERE id = :id")
        .bind("at", utc(at))
        .bind("id", id)
        .then();
  }

  /**
   * Appends rejections of one key and drops all but the newest {@code keep} of that key, in one
   * statement.
   */
  public Mono<Void> appendRejections(UUID keyId, List<RejectionRow> rows, int keep) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            "WITH inserted AS (INSERT INTO api_key_rejections"
                + " (key_id, rejected_at, event_index, event_id, code, message)"
                + " SELECT :keyId, :at, i, e, c, m FROM unnest(:indexes::integer[],"
                + " :eventIds::text[], :codes::text[], :messages::text[]) AS t(i, e, c, m)"
                + " RETURNING id)"
                + " DELETE FROM api_key_rejections WHERE key_id = :keyId AND id <= ("
                + " SELECT id FROM api_key_rejections WHERE key_id = :keyId"
                + " ORDER BY id DESC OFFSET :keep LIMIT 1)")
        .bind("keyId", keyId)
        .bind("at", utc(rows.get(0).rejectedAt()))
        .bind("indexes", rows.stream().map(RejectionRow::eventIndex).toArray(Integer[]::new))
        .bind("eventIds", rows.stream().map(RejectionRow::eventId).toArray(String[]::new))
        .bind("codes", rows.stream().map(RejectionRow::code).toArray(String[]::new))
        .bind("messages", rows.stream().map(RejectionRow::message).toArray(String[]::new))
        .bind("keep", Math.max(0, keep - rows.size()))
        .then();
  }

  /** A key's most recent rejections, newest first. */
  public Flux<RejectionRow> recentRejections(UUID keyId, int limit) {
    return db.sql(
            "SELECT key_id, rejected_at, event_index, event_id, code, message"
                + " FROM api_key_rejections WHERE key_id = :keyId ORDER BY id DESC LIMIT :limit")
        .bind("keyId", keyId)
        .bind("limit", limit)
        .map(
            row ->
                new RejectionRow(
                    row.get("key_id", UUID.class),
                    instant(row, "rejected_at"),
                    row.get("event_index", Integer.class),
                    row.get("event_id", String.class),
                    row.get("code", String.class),
                    row.get("message", String.class)))
        .all();
  }

  private static ApiKeyRow toRow(Readable row) {
    String[] scopes = row.get("scopes", String[].class);
    return new ApiKeyRow(
        row.get("id", UUID.class),
        row.get("workspace_id", String.class),
        row.get("name", String.class),
        row.get("display_prefix", String.class),
        toBytes(row.get("secret_sha256")),
        scopes == null ? List.of() : Arrays.asList(scopes),
        row.get("rate_limit_per_second", Integer.class),
        row.get("created_by", String.class),
        instant(row, "created_at"),
        instant(row, "expires_at"),
        instant(row, "last_used_at"),
        instant(row, "revoked_at"),
        row.get("agent_id", String.class));
  }

  private static byte[] toBytes(Object value) {
    if (value instanceof java.nio.ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return bytes;
    }
    return (byte[]) value;
  }

  private static Instant instant(Readable row, String column) {
    OffsetDateTime value = row.get(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
