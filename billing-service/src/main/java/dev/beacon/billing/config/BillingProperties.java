package dev.beacon.billing.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code beacon.billing.*}.
 *
 * @param gracePeriod how long a workspace keeps its paid plan after a failed payment
 * @param sweepInterval how often expired grace periods and unpublished entitlements are handled
 * @param publishTimeout how long a webhook answer waits for Kafka to acknowledge entitlements; a
 *     record not acknowledged in time is published again by the sweep
 * @param publicUrl the web app's address, where Stripe sends the customer back after Checkout and
 *     the portal ({@code BEACON_PUBLIC_URL})
 * @param creditsLowPercent the share of the month's granted allowance below which a debit sends a
 *     {@code credits_low} notice (0 sends none)
 * @param graceEndingNotice how long before a grace period ends the {@code grace_ending} notice is
 *     sent
 * @param stripe the Stripe keys, API address, webhook tolerance and the price id per plan
 */
@Validated
@ConfigurationProperties("beacon.billing")
public record BillingProperties(
    @DefaultValue("7d") @NotNull Duration gracePeriod,
    @DefaultValue("60s") @NotNull Duration sweepInterval,
    @DefaultValue("3s") @NotNull Duration publishTimeout,
    @DefaultValue("http://localhost:8080") @NotNull URI publicUrl,
    @DefaultValue("10") @Min(0) @Max(100) int creditsLowPercent,
    @DefaultValue("24h") @NotNull Duration graceEndingNotice,
    @DefaultValue @NotNull Stripe stripe) {

  /**
   * @param webhookSecret the endpoint secret ({@code whsec_…}); without it the webhook answers 503
   * @param tolerance how far a signature's timestamp may lie from now
   * @param prices Stripe price id per plan id ({@code pro}, {@code business}); a plan without one
   *     cannot be bought through Checkout
   * @param creditPackPrices Stripe price id per credit pack id ({@code credits_10}, {@code
   *     credits_50}), for Checkout; a purchase is granted by its session's {@code
   *     metadata.credit_pack}
   * @param secretKey the API secret key ({@code sk_…}); without it Checkout and the portal answer
   *     503
   * @param apiBase Stripe's API address; a local stand-in's on the local stack, WireMock's in tests
   * @param connectTimeout how long a Stripe call may take to connect
   * @param readTimeout how long a Stripe call may wait for its answer
   */
  public record Stripe(
      String webhookSecret,
      @DefaultValue("300s") @NotNull Duration tolerance,
      @DefaultValue Map<String, String> prices,
      @DefaultValue Map<String, String> creditPackPrices,
      String secretKey,
      @DefaultValue("https://api.stripe.com") @NotNull String apiBase,
      @DefaultValue("5s") @NotNull Duration connectTimeout,
      @DefaultValue("20s") @NotNull Duration readTimeout) {

    public Stripe {
      prices = prices == null ? Map.of() : Map.copyOf(prices);
      creditPackPrices = creditPackPrices == null ? Map.of() : Map.copyOf(creditPackPrices);
    }

    /** Keeps the secret out of logs and error reports. */
    @Override
    public String toString() {
      return "Stripe[webhookSecret="
          + (webhookSecret == null || webhookSecret.isBlank() ? "<unset>" : "<hidden>")
          + ", secretKey="
          + (secretKey == null || secretKey.isBlank() ? "<unset>" : "<hidden>")
          + ", apiBase="
          + apiBase
          + ", tolerance="
          + tolerance
          + ", prices="
          + prices
          + ", creditPackPrices="
          + creditPackPrices
          + "]";
    }
  }
}
