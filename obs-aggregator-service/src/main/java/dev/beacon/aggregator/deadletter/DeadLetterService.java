package dev.beacon.aggregator.deadletter;

import dev.beacon.aggregator.pipeline.PipelineConfiguration;
import dev.beacon.aggregator.web.Params;
import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import dev.beacon.identity.error.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Service;

/**
 * Reads dead-letter topics with a short-lived, group-less consumer (manual assignment, nothing
 * committed) and re-publishes chosen records to their original topic. Replaying is safe to repeat:
 * the aggregator stores an event once per {@code (workspace_id, event_id)}.
 */
@Service
class DeadLetterService {

  /** Header naming the dead letter a replayed record came from ({@code topic-partition@offset}). */
  static final String REPLAYED_FROM_HEADER = "beacon-replayed-from";

  static final int MAX_RECORDS = 1000;
  static final int PREVIEW_BYTES = 1024;
  private static final int MAX_ERROR = 512;
  private static final Duration READ_DEADLINE = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(DeadLetterService.class);

  private static final Map<String, String> ORIGINAL_BY_DLT =
      Topics.eventTopics().stream()
          .collect(Collectors.toMap(Topic::deadLetterName, Topic::name, (a, b) -> a, TreeMap::new));

  private final Map<String, Object> consumerConfig;
  private final KafkaTemplate<String, byte[]> kafka;

  DeadLetterService(ConsumerFactory<?, ?> consumerFactory, KafkaTemplate<String, byte[]> kafka) {
    Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "obs-aggregator-dlt-admin");
    this.consumerConfig = Map.copyOf(config);
    this.kafka = kafka;
  }

  /** The dead-letter topics, by their original topic. */
  static Set<String> deadLetterTopics() {
    return ORIGINAL_BY_DLT.keySet();
  }

  /**
   * The newest {@code limit} dead letters of the given topics, newest first (by the time they were
   * dead-lettered).
   */
  List<DeadLetter> list(List<String> topics, int limit) {
    List<DeadLetter> letters = new ArrayList<>();
    try (Consumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer, topics);
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> until = new HashMap<>();
      for (TopicPartition partition : partitions) {
        long from = Math.max(begin.get(partition), end.get(partition) - limit);
        consumer.seek(partition, from);
        if (from < end.get(partition)) {
          until.put(partition, end.get(partition));
        }
      }
      read(consumer, until, record -> letters.add(view(record)));
    }
    letters.sort(
        Comparator.comparing(DeadLetter::timestamp).thenComparing(DeadLetter::offset).reversed());
    return letters.size() > limit ? List.copyOf(letters.subList(0, limit)) : letters;
  }

  /**
   * Re-publishes the records of one dead-letter partition: the given offsets, or every record in
   * {@code [fromOffset, upToOffset]}. Each goes to its original topic with its key, value and a
   * {@value #REPLAYED_FROM_HEADER} header, and is acknowledged before this returns.
   */
  List<Replayed> replay(String topic, int partition, ReplaySelection selection) {
    TopicPartition source = new TopicPartition(topic, partition);
    List<ConsumerRecord<String, byte[]>> chosen = new ArrayList<>();
    try (Consumer<String, byte[]> consumer = consumer()) {
      if (consumer.partitionsFor(topic).stream().noneMatch(p -> p.partition() == partition)) {
        throw ApiException.notFound(
            "not_found", "Partition " + partition + " of " + topic + " not found.");
      }
      consumer.assign(List.of(source));
      long begin = consumer.beginningOffsets(List.of(source)).get(source);
      long end = consumer.endOffsets(List.of(source)).get(source);
      long first = Math.max(begin, selection.first());
      long last = Math.min(end - 1, selection.last());
      if (last - first + 1 > MAX_RECORDS) {
        throw Params.invalid(
            "At most " + MAX_RECORDS + " dead letters can be replayed at once; narrow the range.");
      }
      if (first <= last) {
        consumer.seek(source, first);
        read(
            consumer,
            Map.of(source, last + 1),
            record -> {
              if (selection.includes(record.offset())) {
                chosen.add(record);
              }
            });
      }
    }
    List<Replayed> results = new ArrayList<>();
    List<CompletableFuture<?>> sends = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : chosen) {
      String original = text(record, KafkaHeaders.DLT_ORIGINAL_TOPIC);
      if (original == null || !ORIGINAL_BY_DLT.containsValue(original)) {
        original = ORIGINAL_BY_DLT.get(topic);
      }
      ProducerRecord<String, byte[]> copy =
          new ProducerRecord<>(original, null, record.key(), record.value());
      copy.headers()
          .add(
              new RecordHeader(
                  REPLAYED_FROM_HEADER,
                  (record.topic() + "-" + record.partition() + "@" + record.offset())
                      .getBytes(StandardCharsets.UTF_8)));
      sends.add(kafka.send(copy));
      results.add(new Replayed(record.offset(), original, "replayed"));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .orTimeout(15, TimeUnit.SECONDS)
        .join();
    Set<Long> found = chosen.stream().map(ConsumerRecord::offset).collect(Collectors.toSet());
    for (long offset : selection.requestedOffsets()) {
      if (!found.contains(offset)) {
        results.add(new Replayed(offset, null, "not_found"));
      }
    }
    log.info(
        "Replayed {} dead letters of {}-{} to their original topics",
        chosen.size(),
        topic,
        partition);
    return results;
  }

  private Consumer<String, byte[]> consumer() {
    return new KafkaConsumer<>(
        consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(Consumer<?, ?> consumer, List<String> topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    return partitions;
  }

  /** Polls until every partition reached its end offset (exclusive) or the deadline passed. */
  private static void read(
      Consumer<String, byte[]> consumer,
      Map<TopicPartition, Long> until,
      java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
    Map<TopicPartition, Long> pending = new HashMap<>(until);
    Instant deadline = Instant.now().plus(READ_DEADLINE);
    while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Long end = pending.get(partition);
        if (end != null && record.offset() < end) {
          sink.accept(record);
        }
      }
      pending.entrySet().removeIf(entry -> consumer.position(entry.getKey()) >= entry.getValue());
    }
  }

  private static DeadLetter view(ConsumerRecord<String, byte[]> record) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    int shown = Math.min(value.length, PREVIEW_BYTES);
    String error = text(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE);
    if (error != null && error.length() > MAX_ERROR) {
      error = error.substring(0, MAX_ERROR);
    }
    Long originalTimestamp = number(record, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP);
    Long originalPartition = number(record, KafkaHeaders.DLT_ORIGINAL_PARTITION);
    return new DeadLetter(
        record.topic(),
        record.partition(),
        record.offset(),
        Instant.ofEpochMilli(record.timestamp()),
        text(record, PipelineConfiguration.REASON_HEADER),
        error,
        text(record, KafkaHeaders.DLT_ORIGINAL_TOPIC),
        originalPartition == null ? null : originalPartition.intValue(),
        number(record, KafkaHeaders.DLT_ORIGINAL_OFFSET),
        originalTimestamp == null ? null : Instant.ofEpochMilli(originalTimestamp),
        record.key(),
        value.length,
        new String(Arrays.copyOf(value, shown), StandardCharsets.UTF_8),
        shown < value.length);
  }

  private static String text(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Spring Kafka writes partitions as 4-byte and offsets/timestamps as 8-byte big-endian. */
  private static Long number(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    if (header == null || header.value() == null) {
      return null;
    }
    byte[] bytes = header.value();
    return switch (bytes.length) {
      case 4 -> (long) ByteBuffer.wrap(bytes).getInt();
      case 8 -> ByteBuffer.wrap(bytes).getLong();
      default -> null;
    };
  }

  /**
   * What to replay from one partition: explicit offsets, or a closed range.
   *
   * @param offsets the chosen offsets, or null for the range
   * @param fromOffset first offset of the range
   * @param upToOffset last offset of the range, inclusive
   */
  record ReplaySelection(List<Long> offsets, long fromOffset, long upToOffset) {

    long first() {
      return offsets == null ? fromOffset : offsets.stream().min(Long::compare).orElseThrow();
    }

    long last() {
      return offsets == null ? upToOffset : offsets.stream().max(Long::compare).orElseThrow();
    }

    boolean includes(long offset) {
      return offsets == null
          ? offset >= fromOffset && offset <= upToOffset
          : offsets.contains(offset);
    }

    /** The explicit offsets asked for, which are reported when not found. */
    List<Long> requestedOffsets() {
      return offsets == null ? List.of() : offsets;
    }
  }

  /**
   * The outcome for one dead letter.
   *
   * @param offset its offset in the dead-letter partition
   * @param originalTopic where it was re-published, if it was
   * @param outcome {@code replayed} or {@code not_found}
   */
  record Replayed(long offset, String originalTopic, String outcome) {}
}
