package dev.beacon.ingest.events.kafka;

/** Kafka did not acknowledge every record of a request in time, or refused them. */
public class KafkaUnavailableException extends RuntimeException {

  KafkaUnavailableException(Throwable cause) {
    super("Kafka did not acknowledge the events: " + cause, cause, false, false);
  }
}
