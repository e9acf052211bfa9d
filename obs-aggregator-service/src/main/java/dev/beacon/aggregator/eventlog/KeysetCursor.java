package dev.beacon.aggregator.eventlog;

import dev.beacon.aggregator.web.Params;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/**
 * Keyset position after the last item of a page (the events list, the runs list): its time and its
 * id, opaque to clients. A cursor this API did not give is 400 {@code invalid_parameter}.
 */
record KeysetCursor(OffsetDateTime at, String id) {

  String encode() {
    String raw = at.toInstant() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static KeysetCursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = raw.split("\\|", 2);
      return new KeysetCursor(
          OffsetDateTime.ofInstant(Instant.parse(parts[0]), ZoneOffset.UTC), parts[1]);
    } catch (RuntimeException e) {
      throw invalid();
    }
  }

  /** The id as the UUID it must be where items are events. */
  UUID uuid() {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  private static RuntimeException invalid() {
    return Params.invalid("cursor is not a cursor returned by this API.");
  }
}
