package dev.beacon.aggregator.pipeline;

import dev.beacon.aggregator.metrics.BucketKey;
import dev.beacon.aggregator.metrics.MetricDelta;
import dev.beacon.aggregator.metrics.MetricsWriter;
import dev.beacon.aggregator.pricing.PriceCatalog;
import dev.beacon.aggregator.pricing.PricingRepository;
import dev.beacon.aggregator.pricing.RecostService;
import dev.beacon.events.EventType;
import dev.beacon.events.MetricUpdate;
import dev.beacon.events.ObsEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes one batch of decoded events in ONE PostgreSQL transaction: claim the event ids ({@code
 * INSERT … ON CONFLICT DO NOTHING RETURNING}), insert only the claimed events into the log, price
 * them, add them to the minute and daily metrics and to their runs, commit. Every statement is
 * set-based over {@code unnest} arrays. A redelivered event finds its id taken and adds nothing, so
 * at-least-once delivery gives an exactly-once effect.
 */
final class EventLogWriter {

  private static final String CLAIM_IDS =
      """
      INSERT INTO obs.event_ids (workspace_id, event_id, occurred_at)
      SELECT * FROM unnest(?::text[], ?::uuid[], ?::timestamptz[])
      ON CONFLICT DO NOTHING
      RETURNING workspace_id, event_id
      """;

  private static final String INSERT_EVENTS =
      """
      INSERT INTO obs.events (workspace_id, event_id, occurred_at, type, agent_id, subject, run_id,
          trace_id, span_id, parent_span_id, status, error_type, error_message, duration_ms,
          provider, model, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens,
          usage_flags, reported_cost_nano_usd, cost_nano_usd, pricing_status, pricing_id,
          tool_name, tool_integration, action_kind, action_state, service_name, service_operation,
          metadata, tags)
      SELECT workspace_id, event_id::uuid, occurred_at::timestamptz, type, agent_id, subject,
          run_id, trace_id, span_id, parent_span_id, status, error_type, error_message,
          duration_ms, provider, model, input_tokens, output_tokens, cached_input_tokens,
          reasoning_tokens, usage_flags::text[], reported_cost_nano_usd, cost_nano_usd,
          pricing_status, pricing_id, tool_name, tool_integration, action_kind, action_state,
          service_name, service_operation, metadata::jsonb, tags::text[]
      FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
          ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[],
          ?::text[], ?::text[], ?::int8[], ?::int8[], ?::int8[], ?::int8[],
          ?::text[], ?::int8[], ?::int8[], ?::text[], ?::int8[],
          ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
          ?::text[], ?::text[])
        AS t(workspace_id, event_id, occurred_at, type, agent_id, subject, run_id, trace_id,
          span_id, parent_span_id, status, error_type, error_message, duration_ms, provider,
          model, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, usage_flags,
          reported_cost_nano_usd, cost_nano_usd, pricing_status, pricing_id, tool_name,
          tool_integration, action_kind, action_state, service_name, service_operation, metadata,
          tags)
      """;

  /** SQLSTATE of "no partition of relation found for row": a partition vanished under us. */
  private static final String NO_PARTITION = "23514";

  private final DataSource dataSource;
  private final PartitionManager partitions;
  private final ObjectMapper json;

  EventLogWriter(DataSource dataSource, PartitionManager partitions, ObjectMapper json) {
    this.dataSource = dataSource;
    this.partitions = partitions;
    this.json = json;
  }

  /**
   * Stores a batch.
   *
   * @return the events newly stored and the metric updates to publish once offsets are committed
   */
  WriteResult write(List<ObsEvent> batch) throws SQLException {
    Map<EventKey, ObsEvent> unique = new LinkedHashMap<>();
    for (ObsEvent event : batch) {
      unique.putIfAbsent(new EventKey(event.workspaceId(), event.eventId()), event);
    }
    if (unique.isEmpty()) {
      return new WriteResult(0, List.of());
    }
    Set<LocalDate> days = new TreeSet<>();
    unique
        .values()
        .forEach(e -> days.add(LocalDate.ofInstant(e.occurredAt().toInstant(), ZoneOffset.UTC)));
    partitions.ensure(days);

    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Set<EventKey> claimed = claimIds(connection, unique.values());
        List<ObsEvent> fresh = new ArrayList<>(claimed.size());
        Set<String> pricedWorkspaces = new HashSet<>();
        unique.forEach(
            (key, event) -> {
              if (claimed.contains(key)) {
                fresh.add(event);
                if (event.type() == EventType.LLM_CALL || event.llm() != null) {
                  pricedWorkspaces.add(event.workspaceId());
                }
              }
            });
        if (fresh.isEmpty()) {
          connection.commit();
          return new WriteResult(0, List.of());
        }
        PriceCatalog prices = new PriceCatalog(List.of());
        if (!pricedWorkspaces.isEmpty()) {
          try (Statement lock = connection.createStatement()) {
            lock.execute("SELECT pg_advisory_xact_lock_shared(" + RecostService.PRICING_LOCK + ")");
          }
          prices = PricingRepository.load(connection, pricedWorkspaces);
        }
        PriceCatalog catalog = prices;
        List<StoredEvent> stored = fresh.stream().map(e -> StoredEvent.of(e, catalog)).toList();
        insertEvents(connection, stored);
        List<MetricUpdate> updates = MetricsWriter.apply(connection, minuteDeltas(stored));
        RunsWriter.apply(connection, stored);
        connection.commit();
        return new WriteResult(stored.size(), updates);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        if (e instanceof SQLException sql && NO_PARTITION.equals(sql.getSQLState())) {
          partitions.forgetAll();
        }
        throw e;
      }
    }
  }

  private static Map<BucketKey, MetricDelta> minuteDeltas(List<StoredEvent> stored) {
    Map<BucketKey, MetricDelta> minutes = new HashMap<>();
    for (StoredEvent event : stored) {
      minutes
          .computeIfAbsent(event.bucketKey(), key -> new MetricDelta())
          .addEvent(
              event.isError(),
              event.usage().inputTokens(),
              event.usage().outputTokens(),
              event.usage().cachedInputTokens(),
              event.usage().reasoningTokens(),
              event.costNanoUsd(),
              event.isUnpriced(),
              event.event().durationMs());
    }
    return minutes;
  }

  private static Set<EventKey> claimIds(Connection connection, Iterable<ObsEvent> events)
      throws SQLException {
    List<String> workspaces = new ArrayList<>();
    List<UUID> ids = new ArrayList<>();
    List<String> times = new ArrayList<>();
    for (ObsEvent event : events) {
      workspaces.add(event.workspaceId());
      ids.add(event.eventId());
      times.add(event.occurredAt().toInstant().toString());
    }
    Set<EventKey> claimed = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(CLAIM_IDS)) {
      statement.setArray(1, connection.createArrayOf("text", workspaces.toArray()));
      statement.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
      statement.setArray(3, connection.createArrayOf("text", times.toArray()));
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          claimed.add(new EventKey(result.getString(1), result.getObject(2, UUID.class)));
        }
      }
    }
    return claimed;
  }

  private void insertEvents(Connection connection, List<StoredEvent> events) throws SQLException {
    int size = events.size();
    String[][] text = new String[21][size];
    Long[][] number = new Long[8][size];
    for (int i = 0; i < size; i++) {
      StoredEvent stored = events.get(i);
      ObsEvent e = stored.event();
      text[0][i] = e.workspaceId();
      text[1][i] = e.eventId().toString();
      text[2][i] = e.occurredAt().toInstant().toString();
      text[3][i] = stored.typeCode();
      text[4][i] = stored.agentId();
      text[5][i] = stored.subject();
      text[6][i] = e.runId();
      text[7][i] = e.traceId();
      text[8][i] = e.spanId();
      text[9][i] = e.parentSpanId();
      text[10][i] = e.status() == null ? null : e.status().name().toLowerCase(Locale.ROOT);
      text[11][i] = e.error() == null ? null : e.error().type();
      text[12][i] = e.error() == null ? null : e.error().message();
      number[0][i] = e.durationMs();
      text[13][i] = e.llm() == null ? null : e.llm().provider();
      text[14][i] = e.llm() == null ? null : e.llm().model();
      if (e.llm() != null) {
        number[1][i] = stored.usage().inputTokens();
        number[2][i] = stored.usage().outputTokens();
        number[3][i] = stored.usage().cachedInputTokens();
        number[4][i] = stored.usage().reasoningTokens();
        text[15][i] =
            stored.usage().flags().isEmpty() ? null : arrayLiteral(stored.usage().flags());
        number[5][i] = PriceCatalog.reportedNanoUsd(e.llm());
      }
      number[6][i] = stored.costNanoUsd();
      text[16][i] = stored.costing() == null ? null : stored.costing().status().code();
      number[7][i] = stored.costing() == null ? null : stored.costing().pricingId();
      text[17][i] = e.tool() == null ? null : e.tool().name();
      text[18][i] = e.tool() == null ? null : e.tool().integration();
      text[19][i] = e.action() == null ? null : e.action().kind();
      text[20][i] =
          e.action() == null || e.action().state() == null
              ? null
              : e.action().state().name().toLowerCase(Locale.ROOT);
    }
    String[] services = new String[size];
    String[] operations = new String[size];
    String[] metadata = new String[size];
    String[] tags = new String[size];
    for (int i = 0; i < size; i++) {
      ObsEvent e = events.get(i).event();
      services[i] = e.service() == null ? null : e.service().name();
      operations[i] = e.service() == null ? null : e.service().operation();
      metadata[i] = e.metadata() == null ? null : json.writeValueAsString(e.metadata());
      tags[i] = e.tags() == null ? null : arrayLiteral(e.tags());
    }
    try (PreparedStatement statement = connection.prepareStatement(INSERT_EVENTS)) {
      int p = 1;
      for (int t = 0; t <= 12; t++) {
        statement.setArray(p++, connection.createArrayOf("text", text[t]));
      }
      statement.setArray(p++, connection.createArrayOf("int8", number[0]));
      statement.setArray(p++, connection.createArrayOf("text", text[13]));
      statement.setArray(p++, connection.createArrayOf("text", text[14]));
      for (int n = 1; n <= 4; n++) {
        statement.setArray(p++, connection.createArrayOf("int8", number[n]));
      }
      statement.setArray(p++, connection.createArrayOf("text", text[15]));
      statement.setArray(p++, connection.createArrayOf("int8", number[5]));
      statement.setArray(p++, connection.createArrayOf("int8", number[6]));
      statement.setArray(p++, connection.createArrayOf("text", text[16]));
      statement.setArray(p++, connection.createArrayOf("int8", number[7]));
      for (int t = 17; t <= 20; t++) {
        statement.setArray(p++, connection.createArrayOf("text", text[t]));
      }
      statement.setArray(p++, connection.createArrayOf("text", services));
      statement.setArray(p++, connection.createArrayOf("text", operations));
      statement.setArray(p++, connection.createArrayOf("text", metadata));
      statement.setArray(p, connection.createArrayOf("text", tags));
      statement.executeUpdate();
    }
  }

  /** A PostgreSQL array literal of strings, each quoted and escaped. */
  static String arrayLiteral(List<String> values) {
    StringBuilder literal = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        literal.append(',');
      }
      literal
          .append('"')
          .append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return literal.append('}').toString();
  }

  record EventKey(String workspaceId, UUID eventId) {}

  /**
   * Outcome of one batch.
   *
   * @param inserted events newly stored (the rest were duplicates)
   * @param updates absolute metric totals of every touched minute, to publish after the commit
   */
  record WriteResult(int inserted, List<MetricUpdate> updates) {}
}
