package dev.beacon.aggregator.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One row of {@code obs.llm_pricing}: USD per million tokens for a provider's models from a date.
 *
 * @param id row id, recorded on every event it priced
 * @param workspaceId the workspace this override belongs to, or {@code null} for a built-in price
 * @param provider provider name, compared case-insensitively
 * @param modelMatch an exact model name or a full-match regular expression
 * @param matchKind {@code exact} or {@code regex}
 * @param effectiveFrom events at or after this instant use this price
 * @param inputPerMtok price of uncached input tokens
 * @param outputPerMtok price of non-reasoning output tokens
 * @param cachedInputPerMtok price of cached input tokens; {@code null} means the input price
 * @param reasoningPerMtok price of reasoning tokens; {@code null} means the output price
 * @param source where the price comes from and the date of the list
 */
public record PriceRow(
    long id,
    String workspaceId,
    String provider,
    String modelMatch,
    String matchKind,
    Instant effectiveFrom,
    BigDecimal inputPerMtok,
    BigDecimal outputPerMtok,
    BigDecimal cachedInputPerMtok,
    BigDecimal reasoningPerMtok,
    String source) {

  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  /** Whether this row's model match accepts {@code model}. */
  boolean matches(String provider, String model) {
    if (!this.provider.equalsIgnoreCase(provider)) {
      return false;
    }
    if (isExact()) {
      return modelMatch.equalsIgnoreCase(model);
    }
    return PATTERNS
        .computeIfAbsent(modelMatch, match -> Pattern.compile(match, Pattern.CASE_INSENSITIVE))
        .matcher(model)
        .matches();
  }

  boolean isExact() {
    return "exact".equals(matchKind);
  }

  String providerKey() {
    return provider.toLowerCase(Locale.ROOT);
  }
}
