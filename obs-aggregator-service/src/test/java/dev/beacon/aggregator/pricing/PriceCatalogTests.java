package dev.beacon.aggregator.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.aggregator.pricing.PriceCatalog.PricingStatus;
import dev.beacon.events.LlmDetails;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PriceCatalogTests {

  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant JUN = Instant.parse("2026-06-01T00:00:00Z");

  private final PriceCatalog catalog =
      new PriceCatalog(
          List.of(
              row(1, null, "gpt-4o.*", "regex", JAN, "9"),
              row(2, null, "gpt-4o", "exact", JAN, "2.5"),
              row(3, null, "gpt-4o", "exact", JUN, "2.0"),
              row(4, "ws-1", "gpt-4o", "exact", JAN, "1.0")));

  @Test
  void theNewestExactRowNotAfterTheEventWins() {
    assertThat(catalog.find("ws-2", "OpenAI", "gpt-4o", JAN.plusSeconds(1)).orElseThrow().id())
        .isEqualTo(2);
    assertThat(catalog.find("ws-2", "openai", "gpt-4o", JUN).orElseThrow().id()).isEqualTo(3);
    assertThat(catalog.find("ws-2", "openai", "gpt-4o", JAN.minusSeconds(1))).isEmpty();
  }

  @Test
  void aRegexMatchesWhatNoExactRowNamesAndAWorkspaceOverrideBeatsBuiltIns() {
    assertThat(catalog.find("ws-2", "openai", "gpt-4o-2024-08-06", JUN).orElseThrow().id())
        .isEqualTo(1);
    assertThat(catalog.find("ws-1", "openai", "gpt-4o", JUN).orElseThrow().id()).isEqualTo(4);
  }

  @Test
  void costsAreExactNanoDollarsRoundedHalfEvenOncePerEvent() {
    PriceRow price = row(9, null, "m", "exact", JAN, "0.0375");
    // 3 uncached input tokens at $0.0375/M = 112.5 nano-USD -> 112 (half-even)
    assertThat(PriceCatalog.costNanoUsd(price, new TokenUsage(3, 0, 0, 0, List.of())))
        .isEqualTo(112);
    assertThat(PriceCatalog.costNanoUsd(price, new TokenUsage(5, 0, 0, 0, List.of())))
        .isEqualTo(188);
  }

  @Test
  void fallsBackToTheReportedCostThenToUnpriced() {
    LlmDetails reported = new LlmDetails("x", "y", 1L, 1L, 0L, 0L, new BigDecimal("0.000000001"));
    assertThat(catalog.cost("ws", reported, TokenUsage.normalise(reported), JUN).status())
        .isEqualTo(PricingStatus.REPORTED);
    assertThat(catalog.cost("ws", reported, TokenUsage.normalise(reported), JUN).costNanoUsd())
        .isEqualTo(1);
    LlmDetails unknown = new LlmDetails("x", "y", 1L, 1L, 0L, 0L, null);
    assertThat(catalog.cost("ws", unknown, TokenUsage.normalise(unknown), JUN).status())
        .isEqualTo(PricingStatus.UNPRICED);
  }

  @Test
  void normalisationClampsNegativesAndSubsetsAndFlagsThem() {
    TokenUsage usage = TokenUsage.normalise(new LlmDetails("p", "m", -1L, 10L, 5L, 20L, null));
    assertThat(usage.inputTokens()).isZero();
    assertThat(usage.cachedInputTokens()).isZero();
    assertThat(usage.reasoningTokens()).isEqualTo(10);
    assertThat(usage.flags())
        .containsExactly(
            "negative_input_tokens", "cached_exceeds_input", "reasoning_exceeds_output");
  }

  private static PriceRow row(
      long id, String workspace, String match, String kind, Instant from, String input) {
    return new PriceRow(
        id,
        workspace,
        "openai",
        match,
        kind,
        from,
        new BigDecimal(input),
        BigDecimal.TEN,
        null,
        null,
        "test");
  }
}
