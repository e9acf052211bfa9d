package dev.beacon.aggregator.pricing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads {@code obs.llm_pricing} inside the caller's JDBC transaction. */
public final class PricingRepository {

  private PricingRepository() {}

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
}
