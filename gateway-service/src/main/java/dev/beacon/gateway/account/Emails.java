package dev.beacon.gateway.account;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The one place that decides what an email address looks like once stored. */
public final class Emails {

  private static final Pattern SHAPE = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private Emails() {}

  /** Trimmed and lower-cased, or empty when it is not a plausible address. */
  public static Optional<String> normalize(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String email = raw.trim().toLowerCase(Locale.ROOT);
    if (email.length() > 254 || !SHAPE.matcher(email).matches()) {
      return Optional.empty();
    }
    return Optional.of(email);
  }
}
