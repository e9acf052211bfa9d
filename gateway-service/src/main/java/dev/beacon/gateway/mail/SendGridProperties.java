package dev.beacon.gateway.mail;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code beacon.gateway.login.sendgrid.*}: mail delivery through SendGrid's v3 HTTP
 * API, used when an API key is set ({@code BEACON_SENDGRID_API_KEY}).
 *
 * @param apiKey the SendGrid API key (a secret: never logged, masked in {@link #toString()})
 * @param baseUrl SendGrid's API address; tests point it at a stand-in
 * @param timeout how long one attempt may take
 * @param maxAttempts attempts in all for a mail SendGrid answers 429 or 5xx to (or cannot be
 *     reached for)
 * @param retryBackoff wait before the second attempt, doubled for each further one
 */
@ConfigurationProperties("beacon.gateway.login.sendgrid")
record SendGridProperties(
    @DefaultValue("") String apiKey,
    @DefaultValue("https://api.sendgrid.com") String baseUrl,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("4") int maxAttempts,
    @DefaultValue("500ms") Duration retryBackoff) {

  /** Whether SendGrid delivery is configured. */
  public boolean enabled() {
    return apiKey != null && !apiKey.isBlank();
  }

  @Override
  public String toString() {
    return "SendGridProperties[apiKey="
        + (enabled() ? "(set)" : "(unset)")
        + ", baseUrl="
        + baseUrl
        + ", timeout="
        + timeout
        + ", maxAttempts="
        + maxAttempts
        + ", retryBackoff="
        + retryBackoff
        + "]";
  }
}
