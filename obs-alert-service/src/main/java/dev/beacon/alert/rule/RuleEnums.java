package dev.beacon.alert.rule;

/** Holder of the rule vocabulary; each value has the wire name used in JSON and in the database. */
public final class RuleEnums {

  private RuleEnums() {}

  /** What a rule measures. */
  public enum Metric {
    COST_USD,
    TOKENS,
    CALLS,
    ERRORS,
    ERROR_RATE,
    LATENCY_P95_MS,
    NO_EVENTS,
    PROJECTED_MONTH_COST_USD;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Over which period a rule measures. */
  public enum Window {
    M5("5m", java.time.Duration.ofMinutes(5)),
    M15("15m", java.time.Duration.ofMinutes(15)),
    H1("1h", java.time.Duration.ofHours(1)),
    H24("24h", java.time.Duration.ofHours(24)),
    DAY("day", null),
    MONTH("month", null);

    private final String wire;
    private final java.time.Duration rolling;

    Window(String wire, java.time.Duration rolling) {
      this.wire = wire;
      this.rolling = rolling;
    }

    public String wire() {
      return wire;
    }

    /** The length of a rolling window, or {@code null} for the calendar day and month. */
    public java.time.Duration rolling() {
      return rolling;
    }
  }

  /** How a value is compared with a threshold. */
  public enum Comparator {
    GT,
    GTE,
    LT,
    LTE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether {@code value} breaches {@code threshold}. */
    public boolean breaches(java.math.BigDecimal value, java.math.BigDecimal threshold) {
      int c = value.compareTo(threshold);
      return switch (this) {
        case GT -> c > 0;
        case GTE -> c >= 0;
        case LT -> c < 0;
        case LTE -> c <= 0;
      };
    }
  }

  /** One alert state per distinct value of this dimension. */
  public enum GroupBy {
    AGENT,
    MODEL,
    PROVIDER,
    TOOL,
    SERVICE;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What a window without data means. */
  public enum NoData {
    IGNORE,
    OK,
    ALERT;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Parses a wire name, or returns {@code null} when it is none of the values. */
  static <E extends Enum<E>> E parse(Class<E> type, String wire) {
    if (wire == null) {
      return null;
    }
    for (E value : type.getEnumConstants()) {
      String name =
          value instanceof Window window
              ? window.wire()
              : value.name().toLowerCase(java.util.Locale.ROOT);
      if (name.equals(wire)) {
        return value;
      }
    }
    return null;
  }
}
