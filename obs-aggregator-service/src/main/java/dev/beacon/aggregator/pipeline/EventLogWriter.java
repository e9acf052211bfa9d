package dev.beacon.aggregator.pipeline;

import dev.beacon.aggregator.eventlog.PartitionManager;
import dev.beacon.aggregator.metrics.write.BucketKey;
import dev.beacon.aggregator.metrics.write.MetricDelta;
import dev.beacon.aggregator.metrics.write.MetricsWriter;
import dev.beacon.aggregator.pricing.PriceCatalog;
import dev.beacon.aggregator.pricing.PricingRepository;
import dev.beacon.aggregator.pricing.RecostService;
import dev.beacon.events.EventType;
import dev.beacon.events.MetricUpdate;
import dev.beacon.events.ObsEvent;
import java.io.IOException;
import java.io.StringReader;
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
import org.postgresql.PGConnection;
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

  /**
   * The log's columns in the order {@link #appendRow} writes them. COPY, not {@code INSERT … SELECT
   * FROM unnest(…)}: the claimed rows need no conflict handling, and COPY's text rows cost
   * PostgreSQL far less than 33 array literals to parse, unnest and cast.
   */
  private static final String COPY_EVENTS =
      """
      COPY obs.events (workspace_id, event_id, occurred_at, type, agent_id, subject, run_id,
          trace_id, span_id, parent_span_id, status, error_type, error_message, duration_ms,
          provider, model, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens,
          usage_flags, reported_cost_nano_usd, cost_nano_usd, pricing_status, pricing_id,
          tool_name, tool_integration, action_kind, action_state, service_name, service_operation,
          metadata, tags)
      FROM STDIN
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
  WriteResult write(List<ConsumedEvent> batch) throws SQLException {
    Map<EventKey, ConsumedEvent> unique = new LinkedHashMap<>();
    for (ConsumedEvent consumed : batch) {
      unique.putIfAbsent(
          new EventKey(consumed.event().workspaceId(), consumed.event().eventId()), consumed);
    }
    if (unique.isEmpty()) {
      return new WriteResult(0, List.of());
    }
    Set<LocalDate> days = new TreeSet<>();
    unique
        .values()
        .forEach(
            e -> days.add(LocalDate.ofInstant(e.event().occurredAt().toInstant(), ZoneOffset.UTC)));
    partitions.ensure(days);

    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Set<EventKey> claimed = claimIds(connection, unique.values());
        List<ConsumedEvent> fresh = new ArrayList<>(claimed.size());
        Set<String> pricedWorkspaces = new HashSet<>();
        unique.forEach(
            (key, consumed) -> {
              ObsEvent event = consumed.event();
              if (claimed.contains(key)) {
                fresh.add(consumed);
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
        List<StoredEvent> stored =
            fresh.stream().map(e -> StoredEvent.of(e.event(), e.partition(), catalog)).toList();
        insertEvents(connection, stored);
        Map<BucketKey, Integer> shards = new HashMap<>();
        Map<BucketKey, MetricDelta> deltas = minuteDeltas(stored, shards);
        List<MetricUpdate> updates = MetricsWriter.apply(connection, deltas, shards::get);
        RunsWriter.apply(connection, stored);
        ActionsWriter.apply(connection, stored);
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

  /**
   * What the events add to their minute rows.
   *
   * @param shards filled with the partition of each minute row's events (the first one's, if a
   *     producer keyed them differently): the shard of its rows by subject
   */
  private static Map<BucketKey, MetricDelta> minuteDeltas(
      List<StoredEvent> stored, Map<BucketKey, Integer> shards) {
    Map<BucketKey, MetricDelta> minutes = new HashMap<>();
    for (StoredEvent event : stored) {
      BucketKey minute = event.bucketKey();
      shards.putIfAbsent(minute, event.partition());
      minutes
          .computeIfAbsent(minute, key -> new MetricDelta())
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

  private static Set<EventKey> claimIds(Connection connection, Iterable<ConsumedEvent> events)
      throws SQLException {
    List<String> workspaces = new ArrayList<>();
    List<UUID> ids = new ArrayList<>();
    List<String> times = new ArrayList<>();
    for (ConsumedEvent consumed : events) {
      ObsEvent event = consumed.event();
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
    StringBuilder rows = new StringBuilder(events.size() * 400);
    for (StoredEvent stored : events) {
      appendRow(rows, stored);
    }
    try {
      connection
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(COPY_EVENTS, new StringReader(rows.toString()));
    } catch (IOException e) {
      throw new SQLException("could not send the events to PostgreSQL", e);
    }
  }

  /** One row of COPY's text format: tab-separated, {@code \N} for null, in COPY_EVENTS order. */
  private void appendRow(StringBuilder row, StoredEvent stored) {
    ObsEvent e = stored.event();
    boolean llm = e.llm() != null;
    text(row, e.workspaceId());
    text(row, e.eventId().toString());
    text(row, e.occurredAt().toInstant().toString());
    text(row, stored.typeCode());
    text(row, stored.agentId());
    text(row, stored.subject());
    text(row, e.runId());
    text(row, e.traceId());
    text(row, e.spanId());
    text(row, e.parentSpanId());
    text(row, e.status() == null ? null : e.status().name().toLowerCase(Locale.ROOT));
    text(row, e.error() == null ? null : e.error().type());
    text(row, e.error() == null ? null : e.error().message());
    number(row, e.durationMs());
    text(row, llm ? e.llm().provider() : null);
    text(row, llm ? e.llm().model() : null);
    number(row, llm ? stored.usage().inputTokens() : null);
    number(row, llm ? stored.usage().outputTokens() : null);
    number(row, llm ? stored.usage().cachedInputTokens() : null);
    number(row, llm ? stored.usage().reasoningTokens() : null);
    text(
        row,
        llm && !stored.usage().flags().isEmpty() ? arrayLiteral(stored.usage().flags()) : null);
    number(row, llm ? PriceCatalog.reportedNanoUsd(e.llm()) : null);
    number(row, stored.costNanoUsd());
    text(row, stored.costing() == null ? null : stored.costing().status().code());
    number(row, stored.costing() == null ? null : stored.costing().pricingId());
    text(row, e.tool() == null ? null : e.tool().name());
    text(row, e.tool() == null ? null : e.tool().integration());
    text(row, e.action() == null ? null : e.action().kind());
    text(
        row,
        e.action() == null || e.action().state() == null
            ? null
            : e.action().state().name().toLowerCase(Locale.ROOT));
    text(row, e.service() == null ? null : e.service().name());
    text(row, e.service() == null ? null : e.service().operation());
    text(row, e.metadata() == null ? null : json.writeValueAsString(e.metadata()));
    text(row, e.tags() == null ? null : arrayLiteral(e.tags()));
    row.setCharAt(row.length() - 1, '\n');
  }

  /** A COPY text value and its tab: backslash, tab, newline and carriage return escaped. */
  private static void text(StringBuilder row, String value) {
    if (value == null) {
      row.append("\\N\t");
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> row.append("\\\\");
        case '\t' -> row.append("\\t");
        case '\n' -> row.append("\\n");
        case '\r' -> row.append("\\r");
        default -> row.append(c);
      }
    }
    row.append('\t');
  }

  private static void number(StringBuilder row, Long value) {
    if (value == null) {
      row.append("\\N\t");
    } else {
      row.append(value.longValue()).append('\t');
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
   * A decoded event and where it came from.
   *
   * @param partition the Kafka partition of its record
   */
  record ConsumedEvent(ObsEvent event, int partition) {}

  /**
   * Outcome of one batch.
   *
   * @param inserted events newly stored (the rest were duplicates)
   * @param updates absolute metric totals of every touched minute, to publish after the commit
   */
  record WriteResult(int inserted, List<MetricUpdate> updates) {}
}
