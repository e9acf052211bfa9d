package dev.beacon.chat.approval.store;

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

/** Approval requests through R2DBC; a state moves only from the state it is expected in. */
@Repository
public class ApprovalRepository {

  private static final String COLUMNS =
      "id, workspace_id, conversation_id, agent_id, run_id, run_trace_id, run_span_id,"
          + " tool_call_id, tool, arguments, state, requested_at, expires_at, decided_by,"
          + " decided_at, reason, result";

  private final DatabaseClient db;

  ApprovalRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insert(ApprovalRow row) {
    return db.sql(
            "INSERT INTO approvals (id, workspace_id, conversation_id, agent_id, run_id,"
                + " run_trace_id, run_span_id, tool_call_id, tool, arguments, state, requested_at,"
                + " expires_at) VALUES (:id, :ws, :conversation, :agent, :run, :trace, :span,"
                + " :call, :tool, :arguments, 'pending', :requested, :expires)")
        .bind("id", row.id())
        .bind("ws", row.workspaceId())
        .bind("conversation", row.conversationId())
        .bind("agent", row.agentId())
        .bind("run", row.runId())
        .bind("trace", row.runTraceId())
        .bind("span", row.runSpanId())
        .bind("call", row.toolCallId())
        .bind("tool", row.tool())
        .bind("arguments", Json.of(row.arguments()))
        .bind("requested", utc(row.requestedAt()))
        .bind("expires", utc(row.expiresAt()))
        .then();
  }

  /** A workspace's approval; empty for another workspace's. */
  public Mono<ApprovalRow> find(String workspaceId, UUID id) {
    return db.sql("SELECT " + COLUMNS + " FROM approvals WHERE id = :id AND workspace_id = :ws")
        .bind("id", id)
        .bind("ws", workspaceId)
        .map(ApprovalRepository::toRow)
        .one();
  }

  /** The workspace's approvals newest first, of one state and one agent when given. */
  public Flux<ApprovalRow> list(String workspaceId, String state, UUID agentId, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM approvals WHERE workspace_id = :ws");
    if (state != null) {
      sql.append(" AND state = :state");
    }
    if (agentId != null) {
      sql.append(" AND agent_id = :agent");
    }
    sql.append(" ORDER BY requested_at DESC, id DESC LIMIT :limit");
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(sql.toString()).bind("ws", workspaceId).bind("limit", limit);
    if (state != null) {
      spec = spec.bind("state", state);
    }
    if (agentId != null) {
      spec = spec.bind("agent", agentId);
    }
    return spec.map(ApprovalRepository::toRow).all();
  }

  /** The approvals of one turn, in the order they were requested. */
  public Flux<ApprovalRow> forRun(UUID conversationId, UUID runId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM approvals WHERE conversation_id = :conversation AND run_id = :run"
                + " ORDER BY requested_at, id")
        .bind("conversation", conversationId)
        .bind("run", runId)
        .map(ApprovalRepository::toRow)
        .all();
  }

  /** Every approval of a conversation, in the order they were requested. */
  public Flux<ApprovalRow> forConversation(UUID conversationId) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM approvals WHERE conversation_id = :conversation"
                + " ORDER BY requested_at, id")
        .bind("conversation", conversationId)
        .map(ApprovalRepository::toRow)
        .all();
  }

  /**
   * pending → approved or rejected by a person; empty when it was not pending (decided, expired, or
   * another workspace's), so of two concurrent decisions exactly one wins.
   */
  public Mono<ApprovalRow> decide(
      String workspaceId, UUID id, String state, String by, Instant at, String reason) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "UPDATE approvals SET state = :state, decided_by = :by, decided_at = :at,"
                    + " reason = :reason WHERE id = :id AND workspace_id = :ws AND state ="
                    + " 'pending' RETURNING "
                    + COLUMNS)
            .bind("state", state)
            .bind("by", by)
            .bind("at", utc(at))
            .bind("id", id)
            .bind("ws", workspaceId);
    spec = reason == null ? spec.bindNull("reason", String.class) : spec.bind("reason", reason);
    return spec.map(ApprovalRepository::toRow).one();
  }

  /** pending → expired for every request due at {@code now}; returns those it expired. */
  public Flux<ApprovalRow> expireDue(Instant now) {
    return db.sql(
            "UPDATE approvals SET state = 'expired', decided_at = :now"
                + " WHERE state = 'pending' AND expires_at <= :now RETURNING "
                + COLUMNS)
        .bind("now", utc(now))
        .map(ApprovalRepository::toRow)
        .all();
  }

  /** approved → executed or failed, with what the tool gave; empty when it was not approved. */
  public Mono<ApprovalRow> finish(UUID id, String state, String result) {
    return db.sql(
            "UPDATE approvals SET state = :state, result = :result"
                + " WHERE id = :id AND state = 'approved' RETURNING "
                + COLUMNS)
        .bind("state", state)
        .bind("result", result)
        .bind("id", id)
        .map(ApprovalRepository::toRow)
        .one();
  }

  private static ApprovalRow toRow(Readable r) {
    Json arguments = r.get("arguments", Json.class);
    return new ApprovalRow(
        r.get("id", UUID.class),
        r.get("workspace_id", String.class),
        r.get("conversation_id", UUID.class),
        r.get("agent_id", UUID.class),
        r.get("run_id", UUID.class),
        r.get("run_trace_id", String.class),
        r.get("run_span_id", String.class),
        r.get("tool_call_id", String.class),
        r.get("tool", String.class),
        arguments == null ? "{}" : arguments.asString(),
        r.get("state", String.class),
        instant(r.get("requested_at", OffsetDateTime.class)),
        instant(r.get("expires_at", OffsetDateTime.class)),
        r.get("decided_by", String.class),
        instant(r.get("decided_at", OffsetDateTime.class)),
        r.get("reason", String.class),
        r.get("result", String.class));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
