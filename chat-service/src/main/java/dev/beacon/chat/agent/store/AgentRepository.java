package dev.beacon.chat.agent.store;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** Agents, through R2DBC; every statement is scoped by workspace. */
@Repository
public class AgentRepository {

  private static final String COLUMNS =
      "id, workspace_id, name, description, system_prompt, provider, model, temperature,"
          + " max_tokens, tools, archived_at, created_by, created_at, updated_at";

  private final DatabaseClient db;

  AgentRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Inserts an agent. Fails with Spring's {@code DuplicateKeyException} when an agent of the
   * workspace that is not archived has the same name.
   */
  public Mono<Void> insert(AgentRow row) {
    return bindAll(
            db.sql(
                "INSERT INTO agents ("
                    + COLUMNS
                    + ") VALUES (:id, :ws, :name, :description,"
                    + " :systemPrompt, :provider, :model, :temperature, :maxTokens, :tools,"
                    + " :archivedAt, :createdBy, :createdAt, :updatedAt)"),
            row)
        .bind("createdBy", row.createdBy())
        .bind("createdAt", utc(row.createdAt()))
        .then();
  }

  /** Replaces an agent's editable fields; completes with whether the agent was there. */
  public Mono<Boolean> update(AgentRow row) {
    return bindAll(
            db.sql(
                "UPDATE agents SET name = :name, description = :description,"
                    + " system_prompt = :systemPrompt, provider = :provider, model = :model,"
                    + " temperature = :temperature, max_tokens = :maxTokens, tools = :tools,"
                    + " archived_at = :archivedAt, updated_at = :updatedAt"
                    + " WHERE id = :id AND workspace_id = :ws"),
            row)
        .fetch()
        .rowsUpdated()
        .map(count -> count > 0);
  }

  private static DatabaseClient.GenericExecuteSpec bindAll(
      DatabaseClient.GenericExecuteSpec spec, AgentRow row) {
    spec =
        spec.bind("id", row.id())
            .bind("ws", row.workspaceId())
            .bind("name", row.name())
            .bind("description", row.description())
            .bind("systemPrompt", row.systemPrompt())
            .bind("provider", row.provider())
            .bind("tools", Json.of(toolsJson(row.tools())))
            .bind("updatedAt", utc(row.updatedAt()));
    spec =
        row.model() == null
            ? spec.bindNull("model", String.class)
            : spec.bind("model", row.model());
    spec =
        row.temperature() == null
            ? spec.bindNull("temperature", BigDecimal.class)
            : spec.bind("temperature", row.temperature());
    spec =
        row.maxTokens() == null
            ? spec.bindNull("maxTokens", Integer.class)
            : spec.bind("maxTokens", row.maxTokens());
    spec =
        row.archivedAt() == null
            ? spec.bindNull("archivedAt", OffsetDateTime.class)
            : spec.bind("archivedAt", utc(row.archivedAt()));
    return spec;
  }

  /** A workspace's agent by id; empty for another workspace's agent. */
  public Mono<AgentRow> find(String workspaceId, UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM agents WHERE id = :id AND workspace_id = :ws")
        .bind("id", id)
        .bind("ws", workspaceId)
        .map(AgentRepository::toRow)
        .one();
  }

  /** A workspace's agents, oldest first; archived ones only when asked for. */
  public Flux<AgentRow> findByWorkspace(String workspaceId, boolean includeArchived) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM agents WHERE workspace_id = :ws"
                + (includeArchived ? "" : " AND archived_at IS NULL")
                + " ORDER BY created_at, id")
        .bind("ws", workspaceId)
        .map(AgentRepository::toRow)
        .all();
  }

  static String toolsJson(List<AgentRow.Tool> tools) {
    ArrayNode array = JsonMapper.shared().createArrayNode();
    for (AgentRow.Tool tool : tools) {
      array.addObject().put("name", tool.name()).put("requires_approval", tool.requiresApproval());
    }
    return array.toString();
  }

  static List<AgentRow.Tool> tools(String json) {
    List<AgentRow.Tool> tools = new ArrayList<>();
    if (json == null) {
      return tools;
    }
    for (JsonNode tool : JsonMapper.shared().readTree(json)) {
      tools.add(
          new AgentRow.Tool(
              tool.path("name").asString(""), tool.path("requires_approval").asBoolean(false)));
    }
    return List.copyOf(tools);
  }

  private static AgentRow toRow(Readable row) {
    Json tools = row.get("tools", Json.class);
    return new AgentRow(
        row.get("id", UUID.class),
        row.get("workspace_id", String.class),
        row.get("name", String.class),
        row.get("description", String.class),
        row.get("system_prompt", String.class),
        row.get("provider", String.class),
        row.get("model", String.class),
        row.get("temperature", BigDecimal.class),
        row.get("max_tokens", Integer.class),
        tools(tools == null ? null : tools.asString()),
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
