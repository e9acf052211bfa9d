package dev.beacon.integrations.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code beacon.integrations.*}.
 *
 * @param web the built-in {@code web_fetch} tool
 * @param events publishing {@code service_call} events
 */
@ConfigurationProperties("beacon.integrations")
public record IntegrationsProperties(@DefaultValue Web web, @DefaultValue Events events) {

  /**
   * How {@code web_fetch} fetches pages.
   *
   * @param allowedUrlPrefixes URL prefixes allowed even on private addresses: self-hosted services,
   *     tests. Empty by default; a prefix should end with {@code /}, since it is matched as a plain
   *     string prefix
   * @param timeout the whole fetch, redirects included
   * @param maxBodySize how much of a response body is read; the rest is never read
   * @param maxRedirects redirects followed (each re-checked) before the fetch fails
   * @param maxResultChars the longest result text; the model sees no more than this
   * @param userAgent the {@code User-Agent} every request sends
   */
  public record Web(
      @DefaultValue List<String> allowedUrlPrefixes,
      @DefaultValue("10s") Duration timeout,
      @DefaultValue("2MB") DataSize maxBodySize,
      @DefaultValue("5") int maxRedirects,
      @DefaultValue("16000") int maxResultChars,
      @DefaultValue("Beacon-WebFetch/1.0 (+https://github.com/beacon-dev/beacon)")
          String userAgent) {

    public Web {
      allowedUrlPrefixes =
          allowedUrlPrefixes.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("beacon.integrations.web.timeout must be positive");
      }
      if (maxBodySize.toBytes() < 1024 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "beacon.integrations.web.max-body-size must be between 1KB and 2GB");
      }
      if (maxRedirects < 0 || maxRedirects > 20) {
        throw new IllegalArgumentException(
            "beacon.integrations.web.max-redirects must be between 0 and 20");
      }
      if (maxResultChars < 100) {
        throw new IllegalArgumentException(
            "beacon.integrations.web.max-result-chars must be at least 100");
      }
      if (userAgent == null || userAgent.isBlank()) {
        throw new IllegalArgumentException("beacon.integrations.web.user-agent is required");
      }
    }
  }

  /**
   * Publishing events with the Java SDK's Kafka transport.
   *
   * @param enabled off only in tests that build parts by hand
   * @param bufferCapacity events buffered while Kafka is slow or down
   * @param deliveryTimeout how long the producer retries one event
   */
  public record Events(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("10000") int bufferCapacity,
      @DefaultValue("10m") Duration deliveryTimeout) {}
}
