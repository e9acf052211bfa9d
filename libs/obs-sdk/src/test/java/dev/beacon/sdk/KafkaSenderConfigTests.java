package dev.beacon.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaSenderConfigTests {

  @Test
  void waitingForALostBrokersMetadataLastsAsLongAsADeliveryIsRetried() {
    assertThat(KafkaSender.config(Map.of()))
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    assertThat(KafkaSender.config(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000)))
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
  }

  @Test
  void anExplicitBoundIsKeptAndSerializersAreTheSdks() {
    Map<String, Object> config =
        KafkaSender.config(
            Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                300,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                "x.Foreign"));
    assertThat(config)
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300)
        .doesNotContainKey(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
  }
}
