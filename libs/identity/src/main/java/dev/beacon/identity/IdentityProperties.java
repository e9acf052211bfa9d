package dev.beacon.identity;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code beacon.identity.*}.
 *
 * <p>The secret is checked when the application starts (at least 32 bytes), not when it is bound,
 * so that no binding error report can ever print it.
 *
 * @param secret the key shared by the gateway and every service, at least 32 bytes; set it with the
 *     environment variable {@code BEACON_IDENTITY_SECRET}
 * @param ttl how long a signed identity is valid; 60 s by default
 * @param clockSkew how far the clocks of signer and verifier may drift apart; 5 s by default
 * @param publicPaths path patterns (Spring's {@code PathPattern} syntax, e.g. {@code
 *     /api/obs/v1/**}) served without an identity, in addition to health, info and prometheus
 */
@ConfigurationProperties("beacon.identity")
public record IdentityProperties(
    String secret,
    @DefaultValue("60s") Duration ttl,
    @DefaultValue("5s") Duration clockSkew,
    @DefaultValue List<String> publicPaths) {

  /** Fills in the defaults for anything left out when the record is built by hand. */
  public IdentityProperties {
    ttl = ttl == null ? Duration.ofSeconds(60) : ttl;
    clockSkew = clockSkew == null ? Duration.ofSeconds(5) : clockSkew;
    publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
  }

  /** Keeps the secret out of logs and error reports. */
  @Override
  public String toString() {
    return "IdentityProperties[secret="
        + (secret == null ? "<unset>" : "<hidden>")
        + ", ttl="
        + ttl
        + ", clockSkew="
        + clockSkew
        + ", publicPaths="
        + publicPaths
        + "]";
  }
}
