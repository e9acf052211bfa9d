package dev.beacon.aggregator.pipeline;

import dev.beacon.events.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maintains {@code obs.runs} from the inserted events of a batch in one set-based upsert. Counters
 * add up; bounds merge with LEAST/GREATEST, so the order events arrive in does not matter.
 */
final class RunsWriter {

  private static final String UPSERT =
      """
      INSERT INTO obs.runs AS r (workspace_id, run_id, agent_id, started_at, ended_at, end_status,
          end_duration_ms, first_event_at, last_event_at, events, errors, input_tokens,
          output_tokens, cost_nano_usd)
      SELECT t.workspace_id, t.run_id, t.agent_id, t.started_at::timestamptz,
          t.ended_at::timestamptz, t.end_status, t.end_duration_ms, t.first_event_at::timestamptz,
          t.last_event_at::timestamptz, t.events, t.errors, t.input_tokens, t.output_tokens,
          t.cost_nano_usd
      FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[],
          ?::text[], ?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::int8[])
        AS t(workspace_id, run_id, agent_id, started_at, ended_at, end_status, end_duration_ms,
          first_event_at, last_event_at, events, errors, input_tokens, output_tokens, cost_nano_usd)
      ON CONFLICT (workspace_id, run_id) DO UPDATE SET
          agent_id = COALESCE(r.agent_id, EXCLUDED.agent_id),
          started_at = LEAST(r.started_at, EXCLUDED.started_at),
          ended_at = GREATEST(r.ended_at, EXCLUDED.ended_at),
          end_status = COALESCE(EXCLUDED.end_status, r.end_status),
          end_duration_ms = COALESCE(EXCLUDED.end_duration_ms, r.end_duration_ms),
          first_event_at = LEAST(r.first_event_at, EXCLUDED.first_event_at),
          last_event_at = GREATEST(r.last_event_at, EXCLUDED.last_event_at),
          events = r.events + EXCLUDED.events,
          errors = r.errors + EXCLUDED.errors,
          input_tokens = r.input_tokens + EXCLUDED.input_tokens,
          output_tokens = r.output_tokens + EXCLUDED.output_tokens,
          cost_nano_usd = r.cost_nano_usd + EXCLUDED.cost_nano_usd
      """;

  private RunsWriter() {}

  static void apply(Connection connection, List<StoredEvent> events) throws SQLException {
    Map<String, RunDelta> runs = new TreeMap<>();
    for (StoredEvent stored : events) {
      if (stored.event().runId() == null) {
        continue;
      }
      runs.computeIfAbsent(
              stored.event().workspaceId() + "\u0000" + stored.event().runId(),
              key -> new RunDelta(stored.event().workspaceId(), stored.event().runId()))
          .add(stored);
    }
    if (runs.isEmpty()) {
      return;
    }
    int size = runs.size();
    String[][] texts = new String[9][size];
    Long[][] numbers = new Long[6][size];
    int i = 0;
    for (RunDelta run : runs.values()) {
      texts[0][i] = run.workspaceId;
      texts[1][i] = run.runId;
      texts[2][i] = run.agentId;
      texts[3][i] = text(run.startedAt);
      texts[4][i] = text(run.endedAt);
      texts[5][i] = run.endStatus;
      numbers[0][i] = run.endDurationMs;
      texts[6][i] = text(run.firstEventAt);
      texts[7][i] = text(run.lastEventAt);
      numbers[1][i] = run.events;
      numbers[2][i] = run.errors;
      numbers[3][i] = run.inputTokens;
      numbers[4][i] = run.outputTokens;
      numbers[5][i] = run.costNanoUsd;
      i++;
    }
    try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
      int p = 1;
      for (int t = 0; t < 6; t++) {
        statement.setArray(p++, connection.createArrayOf("text", texts[t]));
      }
      statement.setArray(p++, connection.createArrayOf("int8", numbers[0]));
      statement.setArray(p++, connection.createArrayOf("text", texts[6]));
      statement.setArray(p++, connection.createArrayOf("text", texts[7]));
      for (int n = 1; n < 6; n++) {
        statement.setArray(p++, connection.createArrayOf("int8", numbers[n]));
      }
      statement.executeUpdate();
    }
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static final class RunDelta {
    final String workspaceId;
    final String runId;
    String agentId;
    Instant startedAt;
    Instant endedAt;
    String endStatus;
    Long endDurationMs;
    Instant firstEventAt;
    Instant lastEventAt;
    long events;
    long errors;
    long inputTokens;
    long outputTokens;
    long costNanoUsd;

    RunDelta(String workspaceId, String runId) {
      this.workspaceId = workspaceId;
      this.runId = runId;
    }

    void add(StoredEvent stored) {
      Instant at = stored.event().occurredAt().toInstant();
      if (agentId == null) {
        agentId = stored.event().agentId();
      }
      firstEventAt = firstEventAt == null || at.isBefore(firstEventAt) ? at : firstEventAt;
      lastEventAt = lastEventAt == null || at.isAfter(lastEventAt) ? at : lastEventAt;
      if (stored.event().type() == EventType.RUN_START) {
        startedAt = startedAt == null || at.isBefore(startedAt) ? at : startedAt;
      }
      if (stored.event().type() == EventType.RUN_END) {
        endedAt = endedAt == null || at.isAfter(endedAt) ? at : endedAt;
        endStatus = stored.isError() ? "error" : "ok";
        endDurationMs = stored.event().durationMs();
      }
      events++;
      errors += stored.isError() ? 1 : 0;
      inputTokens += stored.usage().inputTokens();
      outputTokens += stored.usage().outputTokens();
      costNanoUsd += stored.costNanoUsd();
    }
  }
}
