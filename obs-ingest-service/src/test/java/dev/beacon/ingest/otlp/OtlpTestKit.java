package dev.beacon.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import dev.beacon.testsupport.BeaconInfrastructure;
import io.opentelemetry.exporter.internal.http.HttpExporter;
import io.opentelemetry.exporter.internal.http.HttpExporterBuilder;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.internal.StandardComponentId;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Fixtures for the OTLP tests: the real OpenTelemetry exporters and a look at what Kafka holds. */
final class OtlpTestKit {

  static final JsonMapper JSON = JsonMapper.builder().build();

  /** The key provisioned from {@code beacon.ingest.init.*} in the test configuration. */
  static final String BOOTSTRAP_KEY = "bcn_TestBootstrapKey00000000000000010XdG8w";

  static final String TRACES_PATH = "/api/obs/otlp/v1/traces";

  private OtlpTestKit() {}

  /** How the OpenTelemetry SDK sends: its two OTLP/HTTP encodings, with or without gzip. */
  enum Encoding {
    PROTOBUF_GZIP,
    PROTOBUF,
    JSON_GZIP;

    boolean gzip() {
      return this != PROTOBUF;
    }
  }

  /**
   * The OpenTelemetry SDK's OTLP/HTTP span exporter over the JDK HttpClient. For JSON, the same
   * exporter machinery in its JSON mode ({@code http/json}), which the public builder does not
   * expose yet.
   */
  static SpanExporter exporter(int port, String key, Encoding encoding) {
    String endpoint = "http://localhost:" + port + TRACES_PATH;
    String compression = encoding.gzip() ? "gzip" : "none";
    if (encoding != Encoding.JSON_GZIP) {
      return OtlpHttpSpanExporter.builder()
          .setEndpoint(endpoint)
          .addHeader("Authorization", "Bearer " + key)
          .setCompression(compression)
          .setTimeout(Duration.ofSeconds(60))
          .build();
    }
    HttpExporter<Marshaler> json =
        new HttpExporterBuilder<Marshaler>(
                StandardComponentId.ExporterType.OTLP_HTTP_JSON_SPAN_EXPORTER, endpoint)
            .exportAsJson()
            .addConstantHeaders("Authorization", "Bearer " + key)
            .setCompression(compression)
            .setTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
            .build();
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        return json.export(TraceRequestMarshaler.create(spans), spans.size());
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return json.shutdown();
      }
    };
  }

  /** Keeps ended spans, so a test exports them itself and sees the exporter's result. */
  static final class CollectingExporter implements SpanExporter {

    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Exports through a real exporter and waits for its verdict. */
  static boolean export(SpanExporter exporter, Collection<SpanData> spans) {
    CompletableResultCode result =
        exporter.export(spans).join(60, java.util.concurrent.TimeUnit.SECONDS);
    exporter.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
    return result.isSuccess();
  }

  /** Every event on the event topics whose value names this agent, with its topic. */
  static List<Published> publishedFor(String agentId) {
    List<Published> found = new ArrayList<>();
    for (ConsumerRecord<String, String> record : readAllEventRecords()) {
      JsonNode value = JSON.readTree(record.value());
      if (agentId.equals(value.path("agent_id").asString(null))) {
        found.add(new Published(record.topic(), record.key(), value));
      }
    }
    return found;
  }

  /** One record on Kafka. */
  record Published(String topic, String key, JsonNode value) {

    String type() {
      return value.get("type").asString();
    }
  }

  private static List<ConsumerRecord<String, String>> readAllEventRecords() {
    Properties config = new Properties();
    config.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        BeaconInfrastructure.get().kafkaBootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "otlp-test-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<String, ?> topic : Topics.eventTopics()) {
        for (PartitionInfo info : consumer.partitionsFor(topic.name(), Duration.ofSeconds(10))) {
          partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(partitions));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!reached(consumer, end) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(reached(consumer, end)).as("read every event topic to its end").isTrue();
    }
    return records;
  }

  private static boolean reached(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }
}
