package dev.beacon.aggregator.metrics.read;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The step of a time series: its name in the API, its length, and how many it spans by default. */
enum Step {
  MINUTE("1m", Duration.ofMinutes(1), 60),
  HOUR("1h", Duration.ofHours(1), 60),
  DAY("1d", Duration.ofDays(1), 30);

  /** The names {@code step} accepts. */
  static final Set<String> CODES =
      Arrays.stream(values()).map(Step::code).collect(Collectors.toUnmodifiableSet());

  private final String code;
  private final Duration length;
  private final int defaultSteps;

  Step(String code, Duration length, int defaultSteps) {
    this.code = code;
    this.length = length;
    this.defaultSteps = defaultSteps;
  }

  static Step of(String code) {
    return Arrays.stream(values()).filter(step -> step.code.equals(code)).findFirst().orElseThrow();
  }

  String code() {
    return code;
  }

  Duration length() {
    return length;
  }

  /** The span of a series whose {@code from} is not given. */
  Duration defaultSpan() {
    return length.multipliedBy(defaultSteps);
  }
}
