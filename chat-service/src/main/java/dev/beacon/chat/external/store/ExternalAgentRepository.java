package dev.beacon.chat.external.store;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** External agents, through R2DBC; every statement is scoped by workspace. */
@Repository
public class ExternalAgentRepository {

  /** The unique index a taken {@code agent_id} violates; any other duplicate is the name's. */
  private static final String AGENT_ID_INDEX = "external_agents_workspace_agent_id_uq";

  private static final String API_KEY_INDEX = "external_agents_workspace_api_key_uq";

  private static final String COLUMNS =
      "id, workspace_id, name, agent_id, description, api_key_id, archived_at, created_by,"
          + " created_at, updated_at";

  private final DatabaseClient db;

  ExternalAgentRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Inserts an external agent. Fails with Spring's {@code DuplicateKeyException} when the name or
   * the agent id is taken in the workspace (see {@link #isAgentIdConflict}).
   */
  public Mono<Void> insert(ExternalAgentRow row) {
    return bindAll(
            db.sql(
                "INSERT INTO external_agents ("
                    + COLUMNS
                    + ") VALUES (:id, :ws, :name, :agentId, :description, :apiKeyId,"
                    + " :archivedAt, :createdBy, :createdAt, :updatedAt)"),
            row)
        .bind("createdBy", row.createdBy())
        .bind("createdAt", utc(row.createdAt()))
        .then();
  }

  /** Replaces an external agent's editable fields; completes with whether it was there. */
  public Mono<Boolean> update(ExternalAgentRow row) {
    return bindAll(
            db.sql(
                "UPDATE external_agents SET name = :name, agent_id = :agentId,"
                    + " description = :description, api_key_id = :apiKeyId,"
                    + " archived_at = :archivedAt, updated_at = :updatedAt"
                    + " WHERE id = :id AND workspace_id = :ws"),
            row)
        .fetch()
        .rowsUpdated()
        .map(count -> count > 0);
  }

  /** Whether a {@code DuplicateKeyException} of an insert or update is about the agent id. */
  public static boolean isAgentIdConflict(DuplicateKeyException e) {
    return names(e, AGENT_ID_INDEX);
  }

  /** Whether the conflict is the API key, already linked to another external agent. */
  public static boolean isApiKeyConflict(DuplicateKeyException e) {
    return names(e, API_KEY_INDEX);
  }

  private static boolean names(DuplicateKeyException e, String index) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(index)) {
        return true;
      }
    }
    return false;
  }

  /** A workspace's external agent by id; empty for another workspace's. */
  public Mono<ExternalAgentRow> find(String workspaceId, UUID id) {
    return db.sql(
            "SELECT " + COLUMNS + " FROM external_agents WHERE id = :id AND workspace_id = :ws")
        .bind("id", id)
        .bind("ws", workspaceId)
        .map(ExternalAgentRepository::toRow)
        .one();
  }

  /** A workspace's external agents, oldest first; archived ones only when asked for. */
  public Flux<ExternalAgentRow> findByWorkspace(String workspaceId, boolean includeArchived) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM external_agents WHERE workspace_id = :ws"
                + (includeArchived ? "" : " AND archived_at IS NULL")
                + " ORDER BY created_at, id")
        .bind("ws", workspaceId)
        .map(ExternalAgentRepository::toRow)
        .all();
  }

  private static DatabaseClient.GenericExecuteSpec bindAll(
      DatabaseClient.GenericExecuteSpec spec, ExternalAgentRow row) {
    spec =
        spec.bind("id", row.id())
            .bind("ws", row.workspaceId())
            .bind("name", row.name())
            .bind("agentId", row.agentId())
            .bind("description", row.description())
            .bind("updatedAt", utc(row.updatedAt()));
    spec =
        row.apiKeyId() == null
            ? spec.bindNull("apiKeyId", UUID.class)
            : spec.bind("apiKeyId", row.apiKeyId());
    spec =
        row.archivedAt() == null
            ? spec.bindNull("archivedAt", OffsetDateTime.class)
            : spec.bind("archivedAt", utc(row.archivedAt()));
    return spec;
  }

  private static ExternalAgentRow toRow(Readable row) {
    return new ExternalAgentRow(
        row.get("id", UUID.class),
        row.get("workspace_id", String.class),
        row.get("name", String.class),
        row.get("agent_id", String.class),
        row.get("description", String.class),
        row.get("api_key_id", UUID.class),
        instant(row, "archived_at"),
        row.get("created_by", String.class),
        instant(row, "created_at"),
        instant(row, "updated_at"));
  }

  private static Instant instant(Readable row, String column) {
    OffsetDateTime value = row.get(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
