package dev.beacon.alert.rule;

import dev.beacon.alert.rule.Rule.Channel;
import dev.beacon.alert.rule.Rule.Filters;
import dev.beacon.alert.rule.RuleEnums.Comparator;
import dev.beacon.alert.rule.RuleEnums.GroupBy;
import dev.beacon.alert.rule.RuleEnums.Metric;
import dev.beacon.alert.rule.RuleEnums.NoData;
import dev.beacon.alert.rule.RuleEnums.Window;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/** Rules and their channels in {@code obs_alert.rules} and {@code obs_alert.channels}. */
@Repository
public class RuleRepository {

  private static final String SELECT_RULES =
      "SELECT id, workspace_id, name, definition::text AS definition, enabled, snoozed_until,"
          + " created_at, updated_at FROM obs_alert.rules";
  private static final String SELECT_CHANNELS =
      "SELECT c.id, c.rule_id, c.type, c.target, c.status, c.last_error, c.consecutive_failures"
          + " FROM obs_alert.channels c JOIN obs_alert.rules r ON r.id = c.rule_id";

  private final DatabaseClient db;
  private final ObjectMapper json;
  private final TransactionalOperator tx;

  RuleRepository(DatabaseClient db, ObjectMapper json, TransactionalOperator tx) {
    this.db = db;
    this.json = json;
    this.tx = tx;
  }

  /** The definition columns stored as JSON. */
  record Definition(
      String metric,
      RuleJson.FiltersJson filters,
      String groupBy,
      String window,
      String comparator,
      String warningThreshold,
      String criticalThreshold,
      int minSample,
      String noData,
      int renotifyMinutes,
      int cooldownMinutes) {}

  /** Every rule of every workspace, for the evaluator. */
  public Flux<Rule> findAll() {
    return load(
        SELECT_RULES + " ORDER BY created_at",
        SELECT_CHANNELS + " ORDER BY c.position",
        null,
        null);
  }

  /** The workspace's rules, oldest first. */
  public Flux<Rule> findByWorkspace(String workspaceId) {
    return load(
        SELECT_RULES + " WHERE workspace_id = :ws ORDER BY created_at, id",
        SELECT_CHANNELS + " WHERE r.workspace_id = :ws ORDER BY c.position",
        workspaceId,
        null);
  }

  /** One rule of the workspace; empty for a missing id and for another workspace's. */
  public Mono<Rule> find(String workspaceId, UUID id) {
    return load(
            SELECT_RULES + " WHERE workspace_id = :ws AND id = :id",
            SELECT_CHANNELS + " WHERE r.workspace_id = :ws AND r.id = :id ORDER BY c.position",
            workspaceId,
            id)
        .next();
  }

  /** Inserts a new rule with its channels. */
  public Mono<Rule> insert(Rule rule) {
    return insertRow(rule).then(replaceChannels(rule)).as(tx::transactional).thenReturn(rule);
  }

  private Mono<Void> insertRow(Rule rule) {
    return db.sql(
            "INSERT INTO obs_alert.rules (id, workspace_id, name, definition, enabled,"
                + " snoozed_until, created_at, updated_at) VALUES (:id, :ws, :name,"
                + " CAST(:definition AS jsonb), :enabled, :snoozed, :created, :updated)")
        .bind("id", rule.id())
        .bind("ws", rule.workspaceId())
        .bind("name", rule.name())
        .bind("definition", definitionJson(rule))
        .bind("enabled", rule.enabled())
        .bind("snoozed", nullableTime(rule.snoozedUntil()))
        .bind("created", time(rule.createdAt()))
        .bind("updated", time(rule.updatedAt()))
        .then();
  }

  /**
   * Inserts a new rule with its channels unless the workspace already has {@code limit} rules
   * (enabled or disabled); empty then, and nothing is stored. The count and the insert run in one
   * transaction under a per-workspace advisory lock, so concurrent creates never exceed the limit.
   */
  public Mono<Rule> insertWithin(Rule rule, int limit) {
    Mono<Void> lock =
        db.sql("SELECT pg_advisory_xact_lock(hashtext('obs_alert.rules:' || :ws))")
            .bind("ws", rule.workspaceId())
            .then();
    Mono<Long> count =
        db.sql("SELECT count(*) AS n FROM obs_alert.rules WHERE workspace_id = :ws")
            .bind("ws", rule.workspaceId())
            .map(row -> row.get("n", Long.class))
            .one();
    return lock.then(count)
        .flatMap(
            n ->
                n >= limit
                    ? Mono.<Rule>empty()
                    : insertRow(rule).then(replaceChannels(rule)).thenReturn(rule))
        .as(tx::transactional);
  }

  /** Updates a rule of the workspace and replaces its channels; empty if it does not exist. */
  public Mono<Rule> update(Rule rule) {
    Mono<Long> update =
        db.sql(
                "UPDATE obs_alert.rules SET name = :name, definition = CAST(:definition AS jsonb),"
                    + " enabled = :enabled, snoozed_until = :snoozed, updated_at = :updated"
                    + " WHERE id = :id AND workspace_id = :ws")
            .bind("id", rule.id())
            .bind("ws", rule.workspaceId())
            .bind("name", rule.name())
            .bind("definition", definitionJson(rule))
            .bind("enabled", rule.enabled())
            .bind("snoozed", nullableTime(rule.snoozedUntil()))
            .bind("updated", time(rule.updatedAt()))
            .fetch()
            .rowsUpdated();
    return update
        .flatMap(rows -> rows == 0 ? Mono.<Rule>empty() : replaceChannels(rule).thenReturn(rule))
        .as(tx::transactional);
  }

  /** Deletes a rule of the workspace (and, by cascade, its state, history and outbox). */
  public Mono<Boolean> delete(String workspaceId, UUID id) {
    return db.sql("DELETE FROM obs_alert.rules WHERE id = :id AND workspace_id = :ws")
        .bind("id", id)
        .bind("ws", workspaceId)
        .fetch()
        .rowsUpdated()
        .map(rows -> rows > 0);
  }

  /** The persisted states of a rule's groups. */
  public Flux<RuleJson.StateJson> states(UUID ruleId) {
    return db.sql(
            "SELECT group_key, state, value, since FROM obs_alert.rule_states WHERE rule_id = :id"
                + " ORDER BY group_key")
        .bind("id", ruleId)
        .map(
            row ->
                new RuleJson.StateJson(
                    row.get("group_key", String.class),
                    row.get("state", String.class),
                    plain(row.get("value", BigDecimal.class)),
                    row.get("since", OffsetDateTime.class).toInstant()))
        .all();
  }

  private Mono<Void> replaceChannels(Rule rule) {
    List<UUID> keep = rule.channels().stream().map(Channel::id).toList();
    Mono<Void> deleteOthers =
        db.sql("DELETE FROM obs_alert.channels WHERE rule_id = :rule AND NOT (id = ANY(:keep))")
            .bind("rule", rule.id())
            .bind("keep", keep.toArray(UUID[]::new))
            .then();
    Flux<Long> upserts =
        Flux.range(0, rule.channels().size())
            .concatMap(
                position -> {
                  Channel channel = rule.channels().get(position);
                  DatabaseClient.GenericExecuteSpec spec =
                      db.sql(
                              "INSERT INTO obs_alert.channels (id, rule_id, position, type, target,"
                                  + " status, last_error, consecutive_failures) VALUES (:id, :rule,"
                                  + " :position, :type, :target, 'ok', NULL, 0) ON CONFLICT (id) DO"
                                  + " UPDATE SET position = EXCLUDED.position, status = 'ok',"
                                  + " last_error = NULL, consecutive_failures = 0")
                          .bind("id", channel.id())
                          .bind("rule", rule.id())
                          .bind("position", position)
                          .bind("type", channel.type());
                  spec =
                      channel.target() == null
                          ? spec.bindNull("target", String.class)
                          : spec.bind("target", channel.target());
                  return spec.fetch().rowsUpdated();
                });
    return deleteOthers.thenMany(upserts).then();
  }

  private Flux<Rule> load(String rulesSql, String channelsSql, String workspaceId, UUID id) {
    Mono<Map<UUID, List<Channel>>> channels =
        bindFilters(db.sql(channelsSql), workspaceId, id)
            .map(
                row ->
                    Map.entry(
                        row.get("rule_id", UUID.class),
                        new Channel(
                            row.get("id", UUID.class),
                            row.get("type", String.class),
                            row.get("target", String.class),
                            row.get("status", String.class),
                            row.get("last_error", String.class),
                            row.get("consecutive_failures", Integer.class))))
            .all()
            .collect(
                HashMap::new,
                (map, entry) ->
                    map.computeIfAbsent(entry.getKey(), k -> new ArrayList<>())
                        .add(entry.getValue()));
    return channels.flatMapMany(
        byRule ->
            bindFilters(db.sql(rulesSql), workspaceId, id).map(row -> toRule(row, byRule)).all());
  }

  private static DatabaseClient.GenericExecuteSpec bindFilters(
      DatabaseClient.GenericExecuteSpec spec, String workspaceId, UUID id) {
    if (workspaceId != null) {
      spec = spec.bind("ws", workspaceId);
    }
    if (id != null) {
      spec = spec.bind("id", id);
    }
    return spec;
  }

  private Rule toRule(Readable row, Map<UUID, List<Channel>> channels) {
    UUID id = row.get("id", UUID.class);
    Definition d = json.readValue(row.get("definition", String.class), Definition.class);
    RuleJson.FiltersJson f = d.filters();
    OffsetDateTime snoozed = row.get("snoozed_until", OffsetDateTime.class);
    return new Rule(
        id,
        row.get("workspace_id", String.class),
        row.get("name", String.class),
        RuleEnums.parse(Metric.class, d.metric()),
        f == null
            ? Filters.none()
            : new Filters(f.agent(), f.provider(), f.model(), f.tool(), f.type(), f.service()),
        RuleEnums.parse(GroupBy.class, d.groupBy()),
        RuleEnums.parse(Window.class, d.window()),
        RuleEnums.parse(Comparator.class, d.comparator()),
        d.warningThreshold() == null ? null : new BigDecimal(d.warningThreshold()),
        d.criticalThreshold() == null ? null : new BigDecimal(d.criticalThreshold()),
        d.minSample(),
        RuleEnums.parse(NoData.class, d.noData()),
        List.copyOf(channels.getOrDefault(id, List.of())),
        d.renotifyMinutes(),
        d.cooldownMinutes(),
        Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
        snoozed == null ? null : snoozed.toInstant(),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }

  private String definitionJson(Rule rule) {
    Filters f = rule.filters();
    return json.writeValueAsString(
        new Definition(
            rule.metric().wire(),
            new RuleJson.FiltersJson(
                f.agent(), f.provider(), f.model(), f.tool(), f.type(), f.service()),
            rule.groupBy() == null ? null : rule.groupBy().wire(),
            rule.window().wire(),
            rule.comparator().wire(),
            plain(rule.warningThreshold()),
            plain(rule.criticalThreshold()),
            rule.minSample(),
            rule.noData().wire(),
            rule.renotifyMinutes(),
            rule.cooldownMinutes()));
  }

  static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }

  private static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Object nullableTime(Instant instant) {
    return instant == null ? io.r2dbc.spi.Parameters.in(OffsetDateTime.class) : time(instant);
  }
}
