package dev.beacon.integrations.channel.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Discord's request signature: {@code X-Signature-Ed25519} (hex) is the application's Ed25519
 * signature over {@code X-Signature-Timestamp} followed by the raw body. Checked with the JDK's
 * Ed25519 (JDK 15+); the application's raw 32-byte public key is wrapped in its X.509 {@code
 * SubjectPublicKeyInfo} prefix to be read.
 */
final class DiscordSignature {

  /** {@code SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (33 bytes) }} before the key. */
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-fA-F]{128}");

  private DiscordSignature() {}

  /** Whether {@code hex} is a raw Ed25519 public key: 64 hex characters the JDK reads. */
  static boolean isPublicKey(String hex) {
    if (hex == null || !HEX_KEY.matcher(hex).matches()) {
      return false;
    }
    try {
      publicKey(hex);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether the signature is the key's over timestamp + body; any malformed part is false. */
  static boolean verify(String publicKeyHex, String signatureHex, String timestamp, byte[] body) {
    if (signatureHex == null
        || timestamp == null
        || !HEX_SIGNATURE.matcher(signatureHex).matches()
        || !HEX_KEY.matcher(publicKeyHex).matches()) {
      return false;
    }
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(publicKey(publicKeyHex));
      ed25519.update(timestamp.getBytes(StandardCharsets.UTF_8));
      ed25519.update(body);
      return ed25519.verify(HexFormat.of().parseHex(signatureHex));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PublicKey publicKey(String hex) throws GeneralSecurityException {
    byte[] raw = HexFormat.of().parseHex(hex);
    byte[] encoded = new byte[X509_PREFIX.length + raw.length];
    System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
    System.arraycopy(raw, 0, encoded, X509_PREFIX.length, raw.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
  }
}
