package dev.beacon.aggregator.pricing;

import dev.beacon.events.LlmDetails;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The prices visible to a set of workspaces at one moment, and the rule that picks one for an
 * event: among rows of the event's provider whose model match accepts the model and whose {@code
 * effective_from} is not after the event, a workspace's own row beats a built-in one, an exact
 * match beats a regex, then the newest {@code effective_from}, then the longer pattern, then the
 * newer row.
 */
public final class PriceCatalog {

  private static final BigDecimal NANO_PER_USD_PER_MTOK = BigDecimal.valueOf(1_000);
  private static final BigDecimal NANO_PER_USD = BigDecimal.valueOf(1_000_000_000L);

  private static final Comparator<PriceRow> PREFERENCE =
      Comparator.comparing((PriceRow row) -> row.workspaceId() != null)
          .thenComparing(PriceRow::isExact)
          .thenComparing(PriceRow::effectiveFrom)
          .thenComparingInt(row -> row.modelMatch().length())
          .thenComparingLong(PriceRow::id);

  private final Map<String, List<PriceRow>> rowsByProvider;

  public PriceCatalog(List<PriceRow> rows) {
    this.rowsByProvider = rows.stream().collect(Collectors.groupingBy(PriceRow::providerKey));
  }

  /** The price row that applies to an event, if any. */
  public Optional<PriceRow> find(String workspaceId, String provider, String model, Instant at) {
    if (provider == null || model == null) {
      return Optional.empty();
    }
    return rowsByProvider.getOrDefault(provider.toLowerCase(Locale.ROOT), List.of()).stream()
        .filter(row -> row.workspaceId() == null || row.workspaceId().equals(workspaceId))
        .filter(row -> !row.effectiveFrom().isAfter(at))
        .filter(row -> row.matches(provider, model))
        .max(PREFERENCE);
  }

  /**
   * Prices one LLM call: from the table when a row applies ({@code priced}), else from the client's
   * {@code cost_usd} ({@code reported}), else {@code unpriced} with cost 0 and counted as such. The
   * exact cost is rounded once per event, half-even, to a whole nano-USD.
   */
  public Costing cost(String workspaceId, LlmDetails llm, TokenUsage usage, Instant at) {
    Optional<PriceRow> price = find(workspaceId, llm.provider(), llm.model(), at);
    if (price.isPresent()) {
      return new Costing(costNanoUsd(price.get(), usage), PricingStatus.PRICED, price.get().id());
    }
    Long reported = reportedNanoUsd(llm);
    if (reported != null) {
      return new Costing(reported, PricingStatus.REPORTED, null);
    }
    return new Costing(0, PricingStatus.UNPRICED, null);
  }

  /** The client's {@code cost_usd} in nano-USD, or {@code null} when absent or negative. */
  public static Long reportedNanoUsd(LlmDetails llm) {
    if (llm == null || llm.costUsd() == null || llm.costUsd().signum() < 0) {
      return null;
    }
    return llm.costUsd()
        .multiply(NANO_PER_USD)
        .setScale(0, RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  static long costNanoUsd(PriceRow price, TokenUsage usage) {
    BigDecimal cachedPrice =
        price.cachedInputPerMtok() != null ? price.cachedInputPerMtok() : price.inputPerMtok();
    BigDecimal reasoningPrice =
        price.reasoningPerMtok() != null ? price.reasoningPerMtok() : price.outputPerMtok();
    BigDecimal usdPerMtokTimesTokens =
        BigDecimal.valueOf(usage.inputTokens() - usage.cachedInputTokens())
            .multiply(price.inputPerMtok())
            .add(BigDecimal.valueOf(usage.cachedInputTokens()).multiply(cachedPrice))
            .add(
                BigDecimal.valueOf(usage.outputTokens() - usage.reasoningTokens())
                    .multiply(price.outputPerMtok()))
            .add(BigDecimal.valueOf(usage.reasoningTokens()).multiply(reasoningPrice));
    return usdPerMtokTimesTokens
        .multiply(NANO_PER_USD_PER_MTOK)
        .setScale(0, RoundingMode.HALF_EVEN)
        .longValueExact();
  }

  /**
   * The cost of one event.
   *
   * @param costNanoUsd exact cost in nano-USD (0 when unpriced)
   * @param status how it was priced
   * @param pricingId the price row used, when {@code status} is {@code priced}
   */
  public record Costing(long costNanoUsd, PricingStatus status, Long pricingId) {}

  /** How an LLM event's cost was obtained. */
  public enum PricingStatus {
    PRICED,
    REPORTED,
    UNPRICED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
