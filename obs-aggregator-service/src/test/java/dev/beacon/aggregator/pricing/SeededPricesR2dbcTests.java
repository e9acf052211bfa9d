package dev.beacon.aggregator.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.testsupport.IntegrationTest;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The built-in price list as migrated: dated corrections apply from their date only. */
@IntegrationTest
class SeededPricesR2dbcTests {

  static final Instant BEFORE_CHECK = Instant.parse("2026-11-24T12:00:00Z");
  static final Instant AFTER_CHECK = Instant.parse("2026-11-25T12:00:00Z");

  @Autowired DataSource dataSource;

  @Test
  void aCorrectedPriceAppliesFromItsDateAndOlderEventsKeepTheOldOne() throws Exception {
    PriceCatalog catalog = catalog();
    assertThat(output(catalog, "groq", "openai/gpt-oss-120b", BEFORE_CHECK))
        .isEqualByComparingTo("0.75");
    assertThat(output(catalog, "groq", "openai/gpt-oss-120b", AFTER_CHECK))
        .isEqualByComparingTo("0.60");
  }

  @Test
  void currentModelsMissingFromTheFirstListArePricedFromTheCheckOn() throws Exception {
    PriceCatalog catalog = catalog();
    assertThat(output(catalog, "anthropic", "claude-opus-4-6", AFTER_CHECK))
        .isEqualByComparingTo("25");
    assertThat(output(catalog, "xai", "grok-4.20-0309-reasoning", AFTER_CHECK))
        .isEqualByComparingTo("6");
    assertThat(output(catalog, "xai", "grok-4-1-fast-non-reasoning", AFTER_CHECK))
        .isEqualByComparingTo("0.50");
    assertThat(output(catalog, "openai", "gpt-5.4-mini", AFTER_CHECK)).isEqualByComparingTo("4.50");
    // Large 3 has its own row; older Large models keep the V3 regex price
    assertThat(output(catalog, "mistral", "mistral-large-2512", AFTER_CHECK))
        .isEqualByComparingTo("1.50");
    assertThat(output(catalog, "mistral", "mistral-large-2411", AFTER_CHECK))
        .isEqualByComparingTo("6");
    assertThat(catalog.find("w", "openai", "gpt-5.4", BEFORE_CHECK)).isEmpty();
  }

  private PriceCatalog catalog() throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      return PricingRepository.load(connection, List.of("w"));
    }
  }

  private static BigDecimal output(
      PriceCatalog catalog, String provider, String model, Instant at) {
    return catalog.find("w", provider, model, at).orElseThrow().outputPerMtok();
  }
}
