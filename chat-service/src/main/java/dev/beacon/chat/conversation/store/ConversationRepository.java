package dev.beacon.chat.conversation.store;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Conversations and messages through R2DBC; every statement is scoped by workspace. */
@Repository
public class ConversationRepository {

  private static final String COLUMNS =
      "id, workspace_id, agent_id, title, state, last_run_id, run_trace_id, run_span_id,"
          + " run_started_at, run_model_calls, run_tool_calls, run_stops, created_by, created_at,"
          + " updated_at";

  private static final String MESSAGE_COLUMNS =
      "id, conversation_id, seq, role, content, run_id, tool_calls, tool_call_id, tool_name,"
          + " status, provider, model, input_tokens, output_tokens, cached_input_tokens,"
          + " reasoning_tokens, error_code, error_message, created_at";

  private final DatabaseClient db;

  ConversationRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insert(ConversationRow row) {
    return db.sql(
            "INSERT INTO conversations (id, workspace_id, agent_id, title, state, created_by,"
                + " created_at, updated_at) VALUES (:id, :ws, :agent, :title, :state, :by, :at,"
                + " :at)")
        .bind("id", row.id())
        .bind("ws", row.workspaceId())
        .bind("agent", row.agentId())
        .bind("title", row.title())
        .bind("state", row.state())
        .bind("by", row.createdBy())
        .bind("at", utc(row.createdAt()))
        .then();
  }

  /** A workspace's conversation; empty for another workspace's. */
  public Mono<ConversationRow> find(String workspaceId, UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM conversations WHERE id = :id AND workspace_id = :ws")
        .bind("id", id)
        .bind("ws", workspaceId)
        .map(ConversationRepository::toRow)
        .one();
  }

  /**
   * A page of the workspace's conversations, latest activity first, after the keyset cursor {@code
   * (updatedAt, id)} when given; one of an agent only when {@code agentId} is set.
   */
  public Flux<ConversationRow> list(
      String workspaceId, UUID agentId, Instant beforeUpdatedAt, UUID beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM conversations WHERE workspace_id = :ws");
    if (agentId != null) {
      sql.append(" AND agent_id = :agent");
    }
    if (beforeUpdatedAt != null) {
      sql.append(" AND (updated_at, id) < (:before, :beforeId)");
    }
    sql.append(" ORDER BY updated_at DESC, id DESC LIMIT :limit");
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(sql.toString()).bind("ws", workspaceId).bind("limit", limit);
    if (agentId != null) {
      spec = spec.bind("agent", agentId);
    }
    if (beforeUpdatedAt != null) {
      spec = spec.bind("before", utc(beforeUpdatedAt)).bind("beforeId", beforeId);
    }
    return spec.map(ConversationRepository::toRow).all();
  }

  /**
   * Starts a turn if none runs: idle → running with a new run. Completes with whether it did, so
   * that of two concurrent messages exactly one starts a turn.
   */
  public Mono<Boolean> startTurn(
      String workspaceId, UUID id, UUID runId, String traceId, String spanId, Instant now) {
    return db.sql(
            "UPDATE conversations SET state = 'running', last_run_id = :run, run_trace_id = :trace,"
                + " run_span_id = :span, run_started_at = :now, run_model_calls = 0,"
                + " run_tool_calls = 0, run_stops = 0, updated_at = :now"
                + " WHERE id = :id AND workspace_id = :ws AND state = 'idle'")
        .bind("run", runId)
        .bind("trace", traceId)
        .bind("span", spanId)
        .bind("now", utc(now))
        .bind("id", id)
        .bind("ws", workspaceId)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  /** Resumes a turn that waited for approvals: awaiting_approval → running; whether it did. */
  public Mono<Boolean> resumeTurn(UUID id, UUID runId, Instant now) {
    return db.sql(
            "UPDATE conversations SET state = 'running', updated_at = :now"
                + " WHERE id = :id AND last_run_id = :run AND state = 'awaiting_approval'")
        .bind("now", utc(now))
        .bind("id", id)
        .bind("run", runId)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  /**
   * Ends or pauses the turn, keeping how much of its budget it used, and writes its stop to the
   * outbox in the same statement: the stop is stored exactly when the turn stops. Nothing happens
   * when the conversation has gone on to another run, or, with {@code onlyIfRunning}, when it no
   * longer runs.
   *
   * @return whether the turn stopped here
   */
  public Mono<Boolean> stopTurn(
      UUID id,
      String state,
      int modelCalls,
      int toolCalls,
      Instant now,
      TurnStopRow stop,
      boolean onlyIfRunning) {
    return db.sql(
            "WITH stopped AS (UPDATE conversations SET state = :state, run_model_calls = :models,"
                + " run_tool_calls = :tools, run_stops = :stop, updated_at = :now"
                + " WHERE id = :id AND last_run_id = :run"
                + (onlyIfRunning ? " AND state = 'running'" : "")
                + " RETURNING id)"
                + " INSERT INTO turn_stops (stop_id, workspace_id, agent_id, run_id, payload,"
                + " stopped_at) SELECT :stopId, :ws, :agent, :run, :payload, :now FROM stopped"
                + " ON CONFLICT (stop_id) DO NOTHING")
        .bind("state", state)
        .bind("models", modelCalls)
        .bind("tools", toolCalls)
        .bind("stop", stop.stop())
        .bind("now", utc(now))
        .bind("id", id)
        .bind("run", stop.runId())
        .bind("stopId", stop.stopId())
        .bind("ws", stop.workspaceId())
        .bind("agent", stop.agentId())
        .bind("payload", stop.payload())
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  /**
   * The conversations whose turn was running, of every workspace: at start, the turns a stopped
   * process left running (one replica runs turns; see docs/chat.md), which cannot go on.
   */
  public Flux<ConversationRow> running() {
    return db.sql("SELECT " + COLUMNS + " FROM conversations WHERE state = 'running'")
        .map(ConversationRepository::toRow)
        .all();
  }

  /** Names a conversation that has no title yet. */
  public Mono<Void> setTitle(UUID id, String title) {
    return db.sql("UPDATE conversations SET title = :title WHERE id = :id AND title = ''")
        .bind("title", title)
        .bind("id", id)
        .then();
  }

  /** Appends a message at the conversation's next position; returns it with its seq. */
  public Mono<MessageRow> append(MessageRow m) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "INSERT INTO messages ("
                    + MESSAGE_COLUMNS
                    + ") SELECT :id, :conversation, COALESCE(MAX(seq), 0) + 1, :role, :content,"
                    + " :run, :toolCalls, :toolCallId, :toolName, :status, :provider, :model,"
                    + " :input, :output, :cached, :reasoning, :errorCode, :errorMessage, :at"
                    + " FROM messages WHERE conversation_id = :conversation RETURNING "
                    + MESSAGE_COLUMNS)
            .bind("id", m.id())
            .bind("conversation", m.conversationId())
            .bind("role", m.role())
            .bind("content", m.content())
            .bind("run", m.runId())
            .bind("toolCalls", Json.of(m.toolCalls() == null ? "[]" : m.toolCalls()))
            .bind("at", utc(m.createdAt()));
    spec = nullable(spec, "toolCallId", m.toolCallId(), String.class);
    spec = nullable(spec, "toolName", m.toolName(), String.class);
    spec = nullable(spec, "status", m.status(), String.class);
    spec = nullable(spec, "provider", m.provider(), String.class);
    spec = nullable(spec, "model", m.model(), String.class);
    spec = nullable(spec, "input", m.inputTokens(), Long.class);
    spec = nullable(spec, "output", m.outputTokens(), Long.class);
    spec = nullable(spec, "cached", m.cachedInputTokens(), Long.class);
    spec = nullable(spec, "reasoning", m.reasoningTokens(), Long.class);
    spec = nullable(spec, "errorCode", m.errorCode(), String.class);
    spec = nullable(spec, "errorMessage", m.errorMessage(), String.class);
    return spec.map(ConversationRepository::toMessage).one();
  }

  /** A conversation's messages in order. */
  public Flux<MessageRow> messages(UUID conversationId) {
    return db.sql(
            "SELECT "
                + MESSAGE_COLUMNS
                + " FROM messages WHERE conversation_id = :conversation ORDER BY seq")
        .bind("conversation", conversationId)
        .map(ConversationRepository::toMessage)
        .all();
  }

  private static <T> DatabaseClient.GenericExecuteSpec nullable(
      DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  private static ConversationRow toRow(Readable r) {
    return new ConversationRow(
        r.get("id", UUID.class),
        r.get("workspace_id", String.class),
        r.get("agent_id", UUID.class),
        r.get("title", String.class),
        r.get("state", String.class),
        r.get("last_run_id", UUID.class),
        r.get("run_trace_id", String.class),
        r.get("run_span_id", String.class),
        instant(r.get("run_started_at", OffsetDateTime.class)),
        r.get("run_model_calls", Integer.class),
        r.get("run_tool_calls", Integer.class),
        r.get("run_stops", Integer.class),
        r.get("created_by", String.class),
        instant(r.get("created_at", OffsetDateTime.class)),
        instant(r.get("updated_at", OffsetDateTime.class)));
  }

  private static MessageRow toMessage(Readable r) {
    Json toolCalls = r.get("tool_calls", Json.class);
    return new MessageRow(
        r.get("id", UUID.class),
        r.get("conversation_id", UUID.class),
        r.get("seq", Integer.class),
        r.get("role", String.class),
        r.get("content", String.class),
        r.get("run_id", UUID.class),
        toolCalls == null ? "[]" : toolCalls.asString(),
        r.get("tool_call_id", String.class),
        r.get("tool_name", String.class),
        r.get("status", String.class),
        r.get("provider", String.class),
        r.get("model", String.class),
        r.get("input_tokens", Long.class),
        r.get("output_tokens", Long.class),
        r.get("cached_input_tokens", Long.class),
        r.get("reasoning_tokens", Long.class),
        r.get("error_code", String.class),
        r.get("error_message", String.class),
        instant(r.get("created_at", OffsetDateTime.class)));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
