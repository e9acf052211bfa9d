package dev.beacon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class BeaconInfrastructureTests {

  @Test
  void startsOncePerJvm() {
    assertThat(BeaconInfrastructure.get()).isSameAs(BeaconInfrastructure.get());
  }

  @Test
  void postgresIsVersionSeventeenWithTheBeaconDatabase() throws Exception {
    Infrastructure infra = BeaconInfrastructure.get();
    try (Connection connection =
            DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
        ResultSet result =
            connection
                .createStatement()
                .executeQuery("SELECT current_database(), current_setting('server_version_num')")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(1)).isEqualTo("beacon");
      assertThat(Integer.parseInt(result.getString(2))).isGreaterThanOrEqualTo(170000);
    }
  }

  @Test
  void kafkaAcknowledgesAndDeliversARecord() throws Exception {
    String bootstrap = BeaconInfrastructure.get().kafkaBootstrapServers();
    Properties producerProps = new Properties();
    producerProps.putAll(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName()));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
      producer.send(new ProducerRecord<>("test-support.roundtrip", "k", "hello")).get();
    }
    Properties consumerProps = new Properties();
    consumerProps.putAll(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-support",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class.getName()));
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
      consumer.subscribe(List.of("test-support.roundtrip"));
      ConsumerRecords<String, String> records = ConsumerRecords.empty();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.isEmpty() && System.nanoTime() < deadline) {
        records = consumer.poll(Duration.ofMillis(500));
      }
      assertThat(records).extracting(r -> r.value()).containsExactly("hello");
    }
  }
}
