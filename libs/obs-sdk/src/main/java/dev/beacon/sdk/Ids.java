package dev.beacon.sdk;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** W3C Trace Context identifiers: random, lowercase hex, never all zeros. */
final class Ids {

  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  /** A 32-hex-character trace id. */
  static String traceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    return HEX.toHexDigits(high) + HEX.toHexDigits(low);
  }

  /** A 16-hex-character span id. */
  static String spanId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return HEX.toHexDigits(id);
  }

  static boolean isTraceId(String value) {
    return isHex(value, 32);
  }

  static boolean isSpanId(String value) {
    return isHex(value, 16);
  }

  private static boolean isHex(String value, int length) {
    if (value == null || value.length() != length) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      if (!hex) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero;
  }
}
