package dev.beacon.gateway.apikey;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code beacon.gateway.api-keys.*}.
 *
 * @param verifyPath the ingest service's key verification endpoint
 * @param cacheTtl how long a verification answer is reused; revocation takes effect within it (at
 *     most 5 s)
 * @param timeout how long to wait for ingest
 */
@ConfigurationProperties("beacon.gateway.api-keys")
record ApiKeyProperties(
    @DefaultValue("/internal/keys/verify") String verifyPath,
    @DefaultValue("5s") Duration cacheTtl,
    @DefaultValue("3s") Duration timeout) {

  public ApiKeyProperties {
    if (cacheTtl.compareTo(Duration.ofSeconds(5)) > 0) {
      throw new IllegalArgumentException("beacon.gateway.api-keys.cache-ttl must be at most 5s");
    }
  }
}
