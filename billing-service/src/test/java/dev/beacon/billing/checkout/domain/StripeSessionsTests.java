package dev.beacon.billing.checkout.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.param.checkout.SessionCreateParams;
import dev.beacon.billing.config.BillingProperties;
import dev.beacon.identity.error.ApiException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class StripeSessionsTests {

  @Test
  void withoutASecretKeyNothingIsCalledAndTheAnswerSaysWhy() {
    StripeSessions sessions = new StripeSessions(properties(null));

    assertThat(sessions.configured()).isFalse();
    StepVerifier.create(sessions.checkout(SessionCreateParams.builder().build(), "key-1"))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(ApiException.class);
              ApiException refused = (ApiException) e;
              assertThat(refused.status().value()).isEqualTo(503);
              assertThat(refused.code()).isEqualTo("stripe_not_configured");
              assertThat(refused.getMessage()).contains("BEACON_STRIPE_SECRET_KEY");
            })
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void theKeyIsNeverInTheSettingsText() {
    BillingProperties properties = properties("sk_live_doNotPrintMe");

    assertThat(properties.toString()).doesNotContain("sk_live_doNotPrintMe").contains("<hidden>");
    assertThat(new StripeSessions(properties).configured()).isTrue();
  }

  private static BillingProperties properties(String secretKey) {
    return new BillingProperties(
        Duration.ofDays(7),
        Duration.ofSeconds(60),
        Duration.ofSeconds(3),
        URI.create("http://localhost:8080"),
        10,
        Duration.ofHours(24),
        new BillingProperties.Stripe(
            null,
            Duration.ofSeconds(300),
            Map.of(),
            Map.of(),
            secretKey,
            "https://api.stripe.com",
            Duration.ofSeconds(5),
            Duration.ofSeconds(20)));
  }
}
