package dev.beacon.aggregator.web;

import dev.beacon.identity.error.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.UUID;

/** Parsing of query parameters into values or a 400 that names the parameter and the rule. */
public final class Params {

  private Params() {}

  /** 400 {@code invalid_parameter}: a parameter or body field is malformed or out of range. */
  public static ApiException invalid(String message) {
    return ApiException.badRequest("invalid_parameter", message);
  }

  /** A UTC date {@code YYYY-MM-DD}, or the default when absent. */
  public static LocalDate date(String name, String value, LocalDate fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(name + " must be a date like 2026-11-25.");
    }
  }

  /** An instant given as RFC 3339 with offset or as a UTC date (its midnight). */
  public static Instant instant(String name, String value, Instant fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid(
          name + " must be an RFC 3339 time with offset (2026-11-25T10:00:00Z) or a date.");
    }
  }

  public static UUID uuid(String name, String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw invalid(name + " must be a UUID.");
    }
  }

  public static int integer(String name, String value, int fallback, int min, int max) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid(name + " must be an integer from " + min + " to " + max + ".");
  }

  /** One of the allowed values, or the default when absent. */
  public static String oneOf(String name, String value, Set<String> allowed, String fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    if (!allowed.contains(value)) {
      throw invalid(
          name + " must be one of " + String.join(", ", allowed.stream().sorted().toList()) + ".");
    }
    return value;
  }

  /** A free-text filter value, bounded. */
  public static String text(String name, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > 256 || value.indexOf('\0') >= 0) {
      throw invalid(name + " must be at most 256 characters.");
    }
    return value;
  }

  /** Ranges are half-open, non-empty and bounded. */
  public static void range(
      String from, String to, boolean ordered, long span, long maxSpan, String unit) {
    if (!ordered) {
      throw invalid(from + " must be before " + to + ".");
    }
    if (span > maxSpan) {
      throw invalid(
          "The range from "
              + from
              + " to "
              + to
              + " must be at most "
              + maxSpan
              + " "
              + unit
              + ".");
    }
  }
}
