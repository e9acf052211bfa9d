package dev.beacon.loadgen.aggregator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} options with an environment variable as fallback. */
final class Args {

  private final Map<String, String> values = new HashMap<>();

  Args(String[] args) {
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

  String get(String name, String env, String fallback) {
    String value = values.get(name);
    if (value == null && env != null) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? fallback : value;
  }

  String required(String name, String env) {
    String value = get(name, env, null);
    if (value == null) {
      throw new IllegalArgumentException(
          "missing --" + name + (env == null ? "" : " (or environment variable " + env + ")"));
    }
    return value;
  }

  int integer(String name, int fallback) {
    return Integer.parseInt(get(name, null, Integer.toString(fallback)));
  }

  double decimal(String name, double fallback) {
    return Double.parseDouble(get(name, null, Double.toString(fallback)));
  }

  /** {@code 90s}, {@code 5m}, {@code 1h}, or plain seconds. */
  Duration duration(String name, Duration fallback) {
    String value = get(name, null, null);
    if (value == null) {
      return fallback;
    }
    long amount = Long.parseLong(value.replaceAll("[smh]$", ""));
    return switch (value.charAt(value.length() - 1)) {
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> Duration.ofSeconds(amount);
    };
  }
}
