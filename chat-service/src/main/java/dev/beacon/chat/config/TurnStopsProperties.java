package dev.beacon.chat.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code beacon.chat.turn-stops.*}: the outbox of {@code chat.turn-stops.v1}.
 *
 * @param sweepInterval how often stops Kafka has not acknowledged are sent again (a stop is sent at
 *     once after it is stored; the sweep is for a broker that was down)
 * @param publishTimeout how long one send waits for Kafka's acknowledgement
 * @param retention how long a published stop stays in the outbox
 * @param batchSize how many stops one pass sends at most
 */
@ConfigurationProperties("beacon.chat.turn-stops")
public record TurnStopsProperties(
    @DefaultValue("5s") Duration sweepInterval,
    @DefaultValue("10s") Duration publishTimeout,
    @DefaultValue("7d") Duration retention,
    @DefaultValue("100") int batchSize) {

  public TurnStopsProperties {
    if (sweepInterval.isNegative() || sweepInterval.isZero()) {
      throw new IllegalArgumentException("beacon.chat.turn-stops.sweep-interval must be positive");
    }
    if (publishTimeout.isNegative() || publishTimeout.isZero()) {
      throw new IllegalArgumentException("beacon.chat.turn-stops.publish-timeout must be positive");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("beacon.chat.turn-stops.batch-size must be at least 1");
    }
  }
}
