package dev.beacon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RestartableKafkaTests {

  private static final String TOPIC = "restartable-kafka-tests";

  @Test
  void aRecordWrittenBeforeAStopIsStillThereAfterTheRestartOnTheSameAddress() throws Exception {
    try (RestartableKafka kafka = RestartableKafka.create()) {
      kafka.start();
      kafka.awaitReady(Duration.ofSeconds(60));
      kafka.createTopics(List.of(TOPIC), 1);
      String address = kafka.bootstrapServers();
      try (KafkaProducer<String, String> producer = producer(address)) {
        producer
            .send(new ProducerRecord<>(TOPIC, "k", "before the stop"))
            .get(30, TimeUnit.SECONDS);
      }

      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      assertThatThrownBy(() -> kafka.awaitReady(Duration.ofSeconds(1)))
          .hasMessageContaining("not running");

      kafka.restart();
      kafka.awaitReady(Duration.ofSeconds(60));
      assertThat(kafka.bootstrapServers()).isEqualTo(address);
      assertThat(readAll(address, Duration.ofSeconds(30)))
          .extracting(ConsumerRecord::value)
          .containsExactly("before the stop");
    }
  }

  @Test
  void closingStopsTheBrokerAndDeletesItsDirectory() {
    RestartableKafka kafka = RestartableKafka.create();
    kafka.start();
    kafka.awaitReady(Duration.ofSeconds(60));
    Path directory = kafka.directory();

    kafka.close();

    assertThat(kafka.isRunning()).isFalse();
    assertThat(Files.exists(directory)).isFalse();
  }

  private static KafkaProducer<String, String> producer(String address) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, address, ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new StringSerializer());
  }

  private static List<ConsumerRecord<String, String>> readAll(String address, Duration timeout) {
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, address),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (records.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
