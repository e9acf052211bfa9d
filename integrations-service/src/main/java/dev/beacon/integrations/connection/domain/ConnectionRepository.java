package dev.beacon.integrations.connection.domain;

import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code integrations.connections}; every query is scoped to a workspace. */
@Repository
class ConnectionRepository {

  private static final String COLUMNS =
      "id, workspace_id, provider, account, scopes, connected_by, connected_at, last_used_at,"
          + " status, access_token, refresh_token, expires_at, last_error_code, last_error_message,"
          + " last_error_at, availability_target";

  /**
   * A row with its token ciphertexts. A credential connection keeps its sealed credentials ({@link
   * TokenCipher.Kind#CREDENTIALS}) in {@code access_token}, and has no refresh token or expiry.
   */
  record Row(Connection connection, byte[] accessToken, byte[] refreshToken, Instant expiresAt) {}

  private final DatabaseClient db;

  ConnectionRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(Row row) {
    Connection c = row.connection();
    return db.sql(
            "INSERT INTO connections ("
                + COLUMNS
                + ")"
                + " VALUES (:id, :workspace, :provider, :account, :scopes, :by, :at, NULL,"
                + " :status, :access, :refresh, :expires, NULL, NULL, NULL, NULL)")
        .bind("id", c.id())
        .bind("workspace", c.workspaceId())
        .bind("provider", c.provider().id())
        .bind("account", Parameter.fromOrEmpty(c.account(), String.class))
        .bind("scopes", String.join(" ", c.scopes()))
        .bind("by", c.connectedBy())
        .bind("at", c.connectedAt())
        .bind("status", c.status().value())
        .bind("access", row.accessToken())
        .bind("refresh", Parameter.fromOrEmpty(row.refreshToken(), byte[].class))
        .bind("expires", Parameter.fromOrEmpty(row.expiresAt(), Instant.class))
        .then();
  }

  Flux<Connection> list(String workspaceId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM connections WHERE workspace_id = :workspace"
                + " ORDER BY connected_at, id")
        .bind("workspace", workspaceId)
        .map(ConnectionRepository::row)
        .all()
        .map(Row::connection);
  }

  Mono<Row> find(String workspaceId, UUID id) {
    return db.sql(
            "SELECT " + COLUMNS + " FROM connections WHERE workspace_id = :workspace AND id = :id")
        .bind("workspace", workspaceId)
        .bind("id", id)
        .map(ConnectionRepository::row)
        .one();
  }

  Mono<Void> updateTokens(
      UUID id, byte[] accessToken, byte[] refreshToken, Instant expiresAt, Instant usedAt) {
    return db.sql(
            "UPDATE connections SET access_token = :access, refresh_token = :refresh,"
                + " expires_at = :expires, last_used_at = :used,"
                + " status = 'ok' WHERE id = :id")
        .bind("id", id)
        .bind("access", accessToken)
        .bind("refresh", Parameter.fromOrEmpty(refreshToken, byte[].class))
        .bind("expires", Parameter.fromOrEmpty(expiresAt, Instant.class))
        .bind("used", usedAt)
        .then();
  }

  Mono<Void> markUsed(UUID id, Instant usedAt) {
    return db.sql("UPDATE connections SET last_used_at = :used WHERE id = :id")
        .bind("id", id)
        .bind("used", usedAt)
        .then();
  }

  Mono<Void> markStatus(UUID id, ConnectionStatus status) {
    return db.sql("UPDATE connections SET status = :status WHERE id = :id")
        .bind("id", id)
        .bind("status", status.value())
        .then();
  }

  /** Records a tool's error; with {@code status}, also changes the connection's status. */
  Mono<Void> recordError(UUID id, ConnectionStatus status, Connection.LastError error) {
    return db.sql(
            "UPDATE connections SET status = COALESCE(:status, status), last_error_code = :code,"
                + " last_error_message = :message, last_error_at = :at WHERE id = :id")
        .bind("id", id)
        .bind("status", Parameter.fromOrEmpty(status == null ? null : status.value(), String.class))
        .bind("code", error.code())
        .bind("message", error.message())
        .bind("at", error.at())
        .then();
  }

  /** Sets or, with {@code null}, clears the availability target; the rows changed (0 or 1). */
  Mono<Long> updateAvailabilityTarget(String workspaceId, UUID id, BigDecimal target) {
    return db.sql(
            "UPDATE connections SET availability_target = :target"
                + " WHERE workspace_id = :workspace AND id = :id")
        .bind("workspace", workspaceId)
        .bind("id", id)
        .bind("target", Parameter.fromOrEmpty(target, BigDecimal.class))
        .fetch()
        .rowsUpdated();
  }

  Mono<Long> delete(String workspaceId, UUID id) {
    return db.sql("DELETE FROM connections WHERE workspace_id = :workspace AND id = :id")
        .bind("workspace", workspaceId)
        .bind("id", id)
        .fetch()
        .rowsUpdated();
  }

  private static Row row(Readable r) {
    String scopes = r.get("scopes", String.class);
    List<String> scopeList =
        scopes == null || scopes.isBlank() ? List.of() : Arrays.asList(scopes.split(" "));
    Connection connection =
        new Connection(
            r.get("id", UUID.class),
            r.get("workspace_id", String.class),
            Provider.of(r.get("provider", String.class)),
            r.get("account", String.class),
            scopeList,
            r.get("connected_by", String.class),
            r.get("connected_at", Instant.class),
            r.get("last_used_at", Instant.class),
            ConnectionStatus.of(r.get("status", String.class)),
            r.get("last_error_code", String.class) == null
                ? null
                : new Connection.LastError(
                    r.get("last_error_code", String.class),
                    r.get("last_error_message", String.class),
                    r.get("last_error_at", Instant.class)),
            r.get("availability_target", BigDecimal.class));
    return new Row(
        connection,
        bytes(r.get("access_token")),
        bytes(r.get("refresh_token")),
        r.get("expires_at", Instant.class));
  }

  private static byte[] bytes(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] array) {
      return array;
    }
    java.nio.ByteBuffer buffer = ((java.nio.ByteBuffer) value).duplicate();
    byte[] array = new byte[buffer.remaining()];
    buffer.get(array);
    return array;
  }
}
