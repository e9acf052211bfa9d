package dev.beacon.aggregator.pipeline;

import dev.beacon.events.ActionDetails;
import dev.beacon.events.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Pairs the state events of an action ({@code action.action_id}) into {@code obs.actions}, inside
 * the batch's transaction and from the events actually inserted, so a redelivered event changes
 * nothing. The merges are order-independent: a decision that arrives before its proposal fills its
 * own columns and the proposal fills the rest later. An expiry is a {@code rejected} event with
 * {@code expired: true}.
 */
final class ActionsWriter {

  private static final String UPSERT =
      """
      INSERT INTO obs.actions AS a (workspace_id, action_id, agent_id, kind, proposed_at,
          decided_at, decision, finished_at, outcome)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (workspace_id, action_id) DO UPDATE SET
          agent_id = CASE WHEN a.agent_id = '' THEN EXCLUDED.agent_id ELSE a.agent_id END,
          proposed_at = LEAST(a.proposed_at, EXCLUDED.proposed_at),
          decided_at = CASE WHEN a.decided_at IS NULL OR EXCLUDED.decided_at < a.decided_at
              THEN COALESCE(EXCLUDED.decided_at, a.decided_at) ELSE a.decided_at END,
          decision = CASE WHEN a.decided_at IS NULL OR EXCLUDED.decided_at < a.decided_at
              THEN COALESCE(EXCLUDED.decision, a.decision) ELSE a.decision END,
          finished_at = LEAST(a.finished_at, EXCLUDED.finished_at),
          outcome = COALESCE(a.outcome, EXCLUDED.outcome)
      """;

  private ActionsWriter() {}

  static void apply(Connection connection, List<StoredEvent> events) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
      int rows = 0;
      for (StoredEvent stored : events) {
        ActionDetails action = stored.event().action();
        if (stored.event().type() != EventType.ACTION
            || action == null
            || action.actionId() == null
            || action.actionId().isBlank()
            || action.state() == null) {
          continue;
        }
        Timestamp at = Timestamp.from(stored.event().occurredAt().toInstant());
        Timestamp proposed = null;
        Timestamp decided = null;
        String decision = null;
        Timestamp finished = null;
        String outcome = null;
        switch (action.state()) {
          case PROPOSED -> proposed = at;
          case APPROVED -> {
            decided = at;
            decision = "approved";
          }
          case REJECTED -> {
            decided = at;
            decision = Boolean.TRUE.equals(action.expired()) ? "expired" : "rejected";
          }
          case EXECUTED -> {
            finished = at;
            outcome = "executed";
          }
          case FAILED -> {
            finished = at;
            outcome = "failed";
          }
        }
        upsert.setString(1, stored.event().workspaceId());
        upsert.setString(2, action.actionId());
        upsert.setString(3, stored.agentId());
        upsert.setString(4, action.kind());
        upsert.setTimestamp(5, proposed);
        upsert.setTimestamp(6, decided);
        upsert.setString(7, decision);
        upsert.setTimestamp(8, finished);
        upsert.setString(9, outcome);
        upsert.addBatch();
        rows++;
      }
      if (rows > 0) {
        upsert.executeBatch();
      }
    }
  }
}
