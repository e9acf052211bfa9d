package dev.beacon.integrations.connection.domain;

import dev.beacon.identity.error.ApiException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The availability a workspace expects of a connection: a percentage written as a plain decimal
 * ({@code "99.5"}, {@code "99.95"}, {@code "100"}), greater than 0 and at most 100, with at most
 * three decimals — what the column {@code numeric(6, 3)} holds exactly.
 */
public final class AvailabilityTarget {

  /** The code of every refused value. */
  public static final String INVALID = "invalid_availability_target";

  private static final Pattern DECIMAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3})?");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private AvailabilityTarget() {}

  /** The target {@code text} says, or 400 {@value #INVALID}. */
  public static BigDecimal parse(String text) {
    if (text == null || !DECIMAL.matcher(text).matches()) {
      throw invalid();
    }
    BigDecimal target = new BigDecimal(text);
    if (target.signum() <= 0 || target.compareTo(HUNDRED) > 0) {
      throw invalid();
    }
    return target;
  }

  /** How answers write a target: {@code 99.5}, {@code 100}, never an exponent. */
  public static String format(BigDecimal target) {
    return target.stripTrailingZeros().toPlainString();
  }

  public static ApiException invalid() {
    return ApiException.badRequest(
        INVALID,
        "availability_target must be a percentage greater than 0 and at most 100, as a string"
            + " with at most three decimals, e.g. \"99.5\".");
  }
}
