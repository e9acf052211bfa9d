package dev.beacon.ingest.events.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Rfc3339} accepts exactly what {@link OffsetDateTime#parse} accepts, as the same instant.
 */
class Rfc3339Tests {

  @Test
  void readsTheUsualShapesAsTheSameInstantAsOffsetDateTime() {
    assertThat(Rfc3339.toInstant("2026-11-26T00:15:30Z"))
        .isEqualTo(Instant.parse("2026-11-26T00:15:30Z"));
    assertThat(Rfc3339.toInstant("2026-11-26T00:15:30.123456789+05:30"))
        .isEqualTo(Instant.parse("2026-11-25T18:45:30.123456789Z"));
    assertThat(Rfc3339.toInstant("2024-02-29T23:59:59.5-18:00"))
        .isEqualTo(Instant.parse("2024-03-01T17:59:59.500Z"));
  }

  @Test
  void refusesWhatOffsetDateTimeRefuses() {
    for (String invalid :
        new String[] {
          "2025-02-29T00:00:00Z",
          "2026-13-01T00:00:00Z",
          "2026-01-01T24:00:00Z",
          "2026-01-01T00:00:60Z",
          "2026-01-01T00:00:00.1234567891Z",
          "2026-01-01T00:00:00+19:00",
          "2026-01-01T00:00:00+01:60",
          "2026-01-01T00:00:00",
          "2026-01-01 00:00:00Z",
          "2026-01-01T00:00:00+0100"
        }) {
      assertThatThrownBy(() -> OffsetDateTime.parse(invalid))
          .isInstanceOf(DateTimeParseException.class);
      assertThatThrownBy(() -> Rfc3339.toInstant(invalid))
          .as(invalid)
          .isInstanceOf(DateTimeParseException.class);
    }
  }

  @Test
  void agreesWithOffsetDateTimeOnThousandsOfGeneratedAndMutatedDateTimes() {
    Random random = new Random(20261126);
    String alphabet = "0123456789-:TZtz+.";
    int accepted = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text =
          new StringBuilder(
              String.format(
                  "%04d-%02d-%02dT%02d:%02d:%02d",
                  random.nextInt(10_000),
                  random.nextInt(14),
                  random.nextInt(33),
                  random.nextInt(26),
                  random.nextInt(62),
                  random.nextInt(62)));
      if (random.nextBoolean()) {
        text.append('.').append(Long.toString(Math.abs(random.nextLong())), 0, random.nextInt(12));
      }
      text.append(
          switch (random.nextInt(4)) {
            case 0 -> "Z";
            case 1 ->
                String.format(
                    "%s%02d:%02d",
                    random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(61));
            case 2 -> "-00:00";
            default -> "";
          });
      if (random.nextInt(4) == 0) {
        text.setCharAt(
            random.nextInt(text.length()), alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String candidate = text.toString();
      Instant expected = offsetDateTimeOrNull(candidate);
      Instant actual = rfc3339OrNull(candidate);
      assertThat(actual).as(candidate).isEqualTo(expected);
      if (expected != null) {
        accepted++;
      }
    }
    assertThat(accepted).as("enough valid date-times among the generated ones").isGreaterThan(2000);
  }

  private static Instant offsetDateTimeOrNull(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant rfc3339OrNull(String text) {
    try {
      return Rfc3339.toInstant(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
