package dev.beacon.ingest.events.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads {@code occurred_at}: exactly what {@link OffsetDateTime#parse(CharSequence)} accepts, and
 * the same instant, but without {@code DateTimeFormatter} for the usual shape {@code
 * yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)}. The formatter parses into maps and resolves fields one
 * by one; under load it cost as much as parsing the whole event. Anything else — lower-case
 * letters, missing seconds, a leap second, an impossible date — goes to the formatter, which
 * decides.
 */
final class Rfc3339 {

  private static final int MAX_OFFSET_SECONDS = 18 * 3600;

  private Rfc3339() {}

  /**
   * The instant of an RFC 3339 date-time with offset.
   *
   * @throws DateTimeParseException when {@link OffsetDateTime#parse(CharSequence)} would
   */
  static Instant toInstant(String text) {
    Instant fast = usualShape(text);
    return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
  }

  /**
   * The instant for the usual shape {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)} with a real date
   * and time, or {@code null} for anything else (which the formatter may still accept).
   */
  static Instant usualShape(String text) {
    int length = text.length();
    if (length < 20
        || !digits(text, 0, 4)
        || text.charAt(4) != '-'
        || !digits(text, 5, 7)
        || text.charAt(7) != '-'
        || !digits(text, 8, 10)
        || text.charAt(10) != 'T'
        || !digits(text, 11, 13)
        || text.charAt(13) != ':'
        || !digits(text, 14, 16)
        || text.charAt(16) != ':'
        || !digits(text, 17, 19)) {
      return null;
    }
    int hour = number(text, 11, 13);
    int minute = number(text, 14, 16);
    int second = number(text, 17, 19);
    if (hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (text.charAt(i) == '.') {
      int start = ++i;
      while (i < length && i - start < 9 && isDigit(text.charAt(i))) {
        nanos = nanos * 10 + (text.charAt(i) - '0');
        i++;
      }
      int fractionDigits = i - start;
      if (fractionDigits == 0 || (i < length && isDigit(text.charAt(i)))) {
        return null;
      }
      for (int scale = fractionDigits; scale < 9; scale++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (i == length - 1 && text.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == length - 6
        && (text.charAt(i) == '+' || text.charAt(i) == '-')
        && digits(text, i + 1, i + 3)
        && text.charAt(i + 3) == ':'
        && digits(text, i + 4, i + 6)) {
      int offsetMinutes = number(text, i + 4, i + 6);
      offsetSeconds = number(text, i + 1, i + 3) * 3600 + offsetMinutes * 60;
      if (offsetMinutes > 59 || offsetSeconds > MAX_OFFSET_SECONDS) {
        return null;
      }
      if (text.charAt(i) == '-') {
        offsetSeconds = -offsetSeconds;
      }
    } else {
      return null;
    }
    long epochDay;
    try {
      epochDay =
          LocalDate.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10)).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
    long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, nanos);
  }

  private static boolean digits(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isDigit(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int number(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }
}
