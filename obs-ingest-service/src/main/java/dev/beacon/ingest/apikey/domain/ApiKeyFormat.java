package dev.beacon.ingest.apikey.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * Beacon's API key format: {@code bcn_}, 32 random base62 characters, then a 6-character base62
 * CRC-32 of everything before it (42 characters in all). The checksum lets a mistyped or made-up
 * key be refused without a database lookup. The local stack's launcher generates keys in exactly
 * this format.
 */
public final class ApiKeyFormat {

  /** Every key starts with this. */
  public static final String PREFIX = "bcn_";

  /** Characters of a key shown in lists: the prefix and the first 8 random characters. */
  public static final int DISPLAY_PREFIX_LENGTH = 12;

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_LENGTH = 32;
  private static final int CHECKSUM_LENGTH = 6;
  private static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  /** A new random key. */
  public static String generate() {
    StringBuilder key = new StringBuilder(LENGTH).append(PREFIX);
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      key.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return key.append(checksum(key)).toString();
  }

  /**
   * The key of an {@code Authorization: Bearer <key>} header (scheme case-insensitive), or {@code
   * null} when the header is missing or uses another scheme.
   */
  public static String fromAuthorization(String authorization) {
    if (authorization == null || authorization.length() < 7) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).strip();
  }

  /** Whether {@code key} has the shape and the checksum of a Beacon API key. */
  public static boolean isWellFormed(CharSequence key) {
    if (key == null || key.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < PREFIX.length(); i++) {
      if (key.charAt(i) != PREFIX.charAt(i)) {
        return false;
      }
    }
    for (int i = PREFIX.length(); i < LENGTH; i++) {
      if (BASE62.indexOf(key.charAt(i)) < 0) {
        return false;
      }
    }
    int split = LENGTH - CHECKSUM_LENGTH;
    return checksum(key.subSequence(0, split))
        .contentEquals(key.subSequence(split, LENGTH).toString());
  }

  /** The part of a key that may be shown. */
  public static String displayPrefix(String key) {
    return key.substring(0, DISPLAY_PREFIX_LENGTH);
  }

  /** SHA-256 of the key, which is what is stored and looked up. */
  public static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static String checksum(CharSequence body) {
    CRC32 crc = new CRC32();
    crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] digits = new char[CHECKSUM_LENGTH];
    for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }
}
