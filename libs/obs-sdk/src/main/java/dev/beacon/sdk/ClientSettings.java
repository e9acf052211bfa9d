package dev.beacon.sdk;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import tools.jackson.databind.json.JsonMapper;

/** The settings a {@link BeaconClient} was built with, as its pipeline and senders need them. */
record ClientSettings(
    int bufferCapacity,
    int batchSize,
    Duration batchDelay,
    RetryPolicy retryPolicy,
    JsonMapper jsonMapper,
    Set<String> loggedConditions) {

  static final int MAX_BATCH_SIZE = 1000;

  ClientSettings(int bufferCapacity, int batchSize, Duration batchDelay, RetryPolicy retryPolicy) {
    this(
        bufferCapacity,
        batchSize,
        batchDelay,
        retryPolicy,
        JsonMapper.builder().build(),
        ConcurrentHashMap.newKeySet());
  }

  /**
   * Logs a warning the first time a condition occurs and at debug level afterwards, so a dead
   * backend or a bad key is visible without flooding the application's log.
   */
  void warnOnce(Logger log, String condition, String message, Object... args) {
    if (loggedConditions.add(condition)) {
      log.warn(message, args);
    } else if (log.isDebugEnabled()) {
      log.debug(message, args);
    }
  }
}
