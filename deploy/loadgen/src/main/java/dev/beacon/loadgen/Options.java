package dev.beacon.loadgen;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code --name value} command-line options, with an environment variable as fallback; shared by
 * every tool of the load generator.
 */
public final class Options {

  private final Map<String, String> values = new HashMap<>();

  public Options(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        values.put(name, args[++i]);
      } else {
        values.put(name, "true");
      }
    }
  }

  public String get(String name, String env, String fallback) {
    String value = values.get(name);
    if (value == null && env != null) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? fallback : value;
  }

  public String required(String name, String env) {
    String value = get(name, env, null);
    if (value == null) {
      throw new IllegalArgumentException(
          "missing --" + name + (env == null ? "" : " (or environment variable " + env + ")"));
    }
    return value;
  }

  public int integer(String name, int fallback) {
    return Integer.parseInt(get(name, null, Integer.toString(fallback)));
  }

  public double decimal(String name, double fallback) {
    return Double.parseDouble(get(name, null, Double.toString(fallback)));
  }

  public boolean flag(String name, boolean fallback) {
    return Boolean.parseBoolean(get(name, null, Boolean.toString(fallback)));
  }

  /** A duration written as {@code 25ms}, {@code 30s}, {@code 5m}, {@code 2h} or bare seconds. */
  public Duration duration(String name, Duration fallback) {
    String value = get(name, null, null);
    if (value == null) {
      return fallback;
    }
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    String amount = value.substring(0, value.length() - 1);
    return switch (value.charAt(value.length() - 1)) {
      case 's' -> Duration.ofSeconds(Long.parseLong(amount));
      case 'm' -> Duration.ofMinutes(Long.parseLong(amount));
      case 'h' -> Duration.ofHours(Long.parseLong(amount));
      default -> Duration.ofSeconds(Long.parseLong(value));
    };
  }
}
