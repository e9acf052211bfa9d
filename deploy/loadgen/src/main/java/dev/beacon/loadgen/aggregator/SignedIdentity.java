package dev.beacon.loadgen.aggregator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the {@code X-Beacon-Identity} header the way the gateway does (HS256, {@code
 * iss=beacon-gateway}, {@code aud=beacon-services}, {@code wid}, {@code role}), so that the
 * benchmark can call the aggregator's read API directly, without the gateway's hop. Needs the
 * stack's {@code BEACON_IDENTITY_SECRET}.
 */
final class SignedIdentity {

  static final String HEADER = "X-Beacon-Identity";

  private final byte[] secret;

  SignedIdentity(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    if (this.secret.length < 32) {
      throw new IllegalArgumentException("the identity secret must have at least 32 bytes");
    }
  }

  /** A token for an owner of the workspace, valid for {@code ttl}. */
  String sign(String workspaceId, Duration ttl) {
    Instant now = Instant.now();
    String header = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    String claims =
        encode(
            "{\"iss\":\"beacon-gateway\",\"aud\":[\"beacon-services\"],\"sub\":\"loadgen\","
                + "\"wid\":\""
                + workspaceId.replace("\"", "")
                + "\",\"role\":\"owner\",\"iat\":"
                + now.getEpochSecond()
                + ",\"exp\":"
                + now.plus(ttl).getEpochSecond()
                + ",\"jti\":\""
                + UUID.randomUUID()
                + "\"}");
    String signingInput = header + "." + claims;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return signingInput
          + "."
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
