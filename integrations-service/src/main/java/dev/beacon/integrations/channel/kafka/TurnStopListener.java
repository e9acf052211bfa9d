package dev.beacon.integrations.channel.kafka;

import dev.beacon.events.TurnStop;
import dev.beacon.integrations.channel.domain.ChannelReplies;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads chat-service's {@code chat.turn-stops.v1} (ADR 0028) and has {@link ChannelReplies} tell
 * each stop of a channel's turn to its chat: the answer after an approval or a rejection. Offsets
 * are committed after the batch; a stop already told (the relay's, a redelivery, a republished one)
 * is not told again, so reading a record twice is harmless. A record that is not a stop is logged
 * and skipped; a database that cannot be asked retries the batch (see {@link
 * TurnStopKafkaConfiguration}). While this service is down, stops wait on the topic and are told
 * when it is back.
 */
class TurnStopListener {

  static final String ID = "channel-turn-stops";

  private static final Logger log = LoggerFactory.getLogger(TurnStopListener.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One stop: the claim, the provider's answer (10 s per call, a few parts) and the record. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final ChannelReplies replies;

  TurnStopListener(ChannelReplies replies) {
    this.replies = replies;
  }

  @KafkaListener(
      id = ID,
      clientIdPrefix = "${spring.application.name}-turn-stops",
      topics = "#{T(dev.beacon.events.Topics).CHAT_TURN_STOPS.name()}",
      containerFactory = TurnStopKafkaConfiguration.CONTAINER_FACTORY,
      batch = "true",
      properties = {
        // chat-service creates the topic with its partitions; a consumer must never create it
        "allow.auto.create.topics=false",
        // a topic created after this service started is found within seconds
        "metadata.max.age.ms=10000"
      })
  void onBatch(List<ConsumerRecord<String, String>> records) {
    for (ConsumerRecord<String, String> record : records) {
      TurnStop stop;
      try {
        stop = JSON.readValue(record.value(), TurnStop.class);
      } catch (RuntimeException e) {
        log.warn(
            "Skipping a record that is not a turn stop at {}-{}@{}: {}",
            record.topic(),
            record.partition(),
            record.offset(),
            e.getClass().getSimpleName());
        continue;
      }
      replies
          .tell(stop)
          .doOnError(
              e ->
                  log.warn(
                      "Telling turn stop {} to its channel failed; the batch is retried: {}",
                      stop.stopId(),
                      e.toString()))
          .block(STOP_TIMEOUT);
    }
  }
}
