package dev.beacon.aggregator.pricing;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The price table, {@code obs.llm_pricing}: as a workspace sees it and its overrides, through R2DBC
 * for the pricing API; and as a {@link PriceCatalog}, through JDBC inside the caller's transaction,
 * for the pipeline and re-costing.
 */
@Component
public final class PricingRepository {

  private final DatabaseClient db;

  PricingRepository(DatabaseClient db) {
    this.db = db;
  }

  /** The built-in prices and the workspace's overrides, by provider, model match and date. */
  Mono<List<PriceView>> list(String workspaceId) {
    return db.sql(
            "SELECT * FROM obs.llm_pricing WHERE workspace_id IS NULL OR workspace_id = :workspace"
                + " ORDER BY provider, model_match, effective_from, id")
        .bind("workspace", workspaceId)
        .map(
            (row, meta) ->
                new PriceView(
                    row.get("id", Long.class),
                    row.get("workspace_id", String.class) == null ? "built_in" : "workspace",
                    row.get("provider", String.class),
                    row.get("model_match", String.class),
                    row.get("match_kind", String.class),
                    row.get("effective_from", OffsetDateTime.class),
                    row.get("input_per_mtok", BigDecimal.class),
                    row.get("output_per_mtok", BigDecimal.class),
                    row.get("cached_input_per_mtok", BigDecimal.class),
                    row.get("reasoning_per_mtok", BigDecimal.class),
                    row.get("currency", String.class),
                    row.get("source", String.class)))
        .all()
        .collectList();
  }

  /** Adds a price of the workspace's own; the row as {@link #list} shows it. */
  Mono<PriceView> addOverride(String workspaceId, PriceOverride price) {
    OffsetDateTime effectiveFrom = price.effectiveFrom().atOffset(ZoneOffset.UTC);
    var spec =
        db.sql(
                "INSERT INTO obs.llm_pricing (workspace_id, provider, model_match, match_kind,"
                    + " effective_from, input_per_mtok, output_per_mtok, cached_input_per_mtok,"
                    + " reasoning_per_mtok, source) VALUES (:workspace, :provider, :match, :kind,"
                    + " :from, :input, :output, :cached, :reasoning, :source) RETURNING id")
            .bind("workspace", workspaceId)
            .bind("provider", price.provider())
            .bind("match", price.modelMatch())
            .bind("kind", price.matchKind())
            .bind("from", effectiveFrom)
            .bind("input", price.inputPerMtok())
            .bind("output", price.outputPerMtok())
            .bind("source", price.source());
    spec =
        price.cachedInputPerMtok() == null
            ? spec.bindNull("cached", BigDecimal.class)
            : spec.bind("cached", price.cachedInputPerMtok());
    spec =
        price.reasoningPerMtok() == null
            ? spec.bindNull("reasoning", BigDecimal.class)
            : spec.bind("reasoning", price.reasoningPerMtok());
    return spec.map((row, meta) -> row.get("id", Long.class))
        .one()
        .map(
            id ->
                new PriceView(
                    id,
                    "workspace",
                    price.provider(),
                    price.modelMatch(),
                    price.matchKind(),
                    effectiveFrom,
                    price.inputPerMtok(),
                    price.outputPerMtok(),
                    price.cachedInputPerMtok(),
                    price.reasoningPerMtok(),
                    "USD",
                    price.source()));
  }

  /** Built-in prices plus the overrides of the given workspaces. */
  public static PriceCatalog load(Connection connection, Collection<String> workspaceIds)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, workspace_id, provider, model_match, match_kind, effective_from,"
                + " input_per_mtok, output_per_mtok, cached_input_per_mtok, reasoning_per_mtok,"
                + " source FROM obs.llm_pricing"
                + " WHERE workspace_id IS NULL OR workspace_id = ANY (?)")) {
      statement.setArray(1, connection.createArrayOf("text", workspaceIds.toArray()));
      List<PriceRow> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          rows.add(
              new PriceRow(
                  result.getLong("id"),
                  result.getString("workspace_id"),
                  result.getString("provider"),
                  result.getString("model_match"),
                  result.getString("match_kind"),
                  result.getObject("effective_from", Timestamp.class).toInstant(),
                  result.getBigDecimal("input_per_mtok"),
                  result.getBigDecimal("output_per_mtok"),
                  result.getBigDecimal("cached_input_per_mtok"),
                  result.getBigDecimal("reasoning_per_mtok"),
                  result.getString("source")));
        }
      }
      return new PriceCatalog(rows);
    }
  }

  /**
   * A validated workspace override, USD per million tokens.
   *
   * @param matchKind {@code exact} or {@code regex}
   * @param cachedInputPerMtok {@code null} means the input price
   * @param reasoningPerMtok {@code null} means the output price
   */
  record PriceOverride(
      String provider,
      String modelMatch,
      String matchKind,
      Instant effectiveFrom,
      BigDecimal inputPerMtok,
      BigDecimal outputPerMtok,
      BigDecimal cachedInputPerMtok,
      BigDecimal reasoningPerMtok,
      String source) {}

  /**
   * One price as the pricing API shows it.
   *
   * @param scope {@code built_in} or {@code workspace}
   */
  record PriceView(
      long id,
      String scope,
      String provider,
      String modelMatch,
      String matchKind,
      OffsetDateTime effectiveFrom,
      BigDecimal inputPerMtok,
      BigDecimal outputPerMtok,
      BigDecimal cachedInputPerMtok,
      BigDecimal reasoningPerMtok,
      String currency,
      String source) {}
}
