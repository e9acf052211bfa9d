package dev.beacon.aggregator.pipeline;

import com.zaxxer.hikari.HikariDataSource;
import dev.beacon.aggregator.config.AggregatorProperties;
import dev.beacon.aggregator.eventlog.PartitionManager;
import dev.beacon.aggregator.eventlog.RetentionHorizon;
import dev.beacon.aggregator.metrics.write.MetricUpdatePublisher;
import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.databind.ObjectMapper;

/** Wires the consume → store → commit → publish pipeline and its error handling. */
@Configuration(proxyBeanMethods = false)
public class PipelineConfiguration {

  /** Header carrying the machine-readable reason a record was dead-lettered. */
  public static final String REASON_HEADER = "beacon-dlt-reason";

  private static final Map<String, Topic<String, ?>> TOPICS_BY_NAME =
      Topics.eventTopics().stream().collect(Collectors.toMap(Topic::name, Function.identity()));

  @Bean
  String[] eventTopicNames() {
    return Topics.eventTopics().stream().map(Topic::name).toArray(String[]::new);
  }

  /** The JDBC pool of the write path: small, because one consumer thread uses one connection. */
  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(AggregatorProperties properties) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setPoolName("aggregator-write");
    dataSource.setJdbcUrl(properties.jdbc().url());
    dataSource.setUsername(properties.jdbc().username());
    dataSource.setPassword(properties.jdbc().password());
    dataSource.setMaximumPoolSize(properties.jdbc().maxPoolSize());
    dataSource.setMinimumIdle(1);
    dataSource.setConnectionTimeout(5_000);
    dataSource.setInitializationFailTimeout(-1);
    return dataSource;
  }

  @Bean
  EventLogWriter eventLogWriter(
      DataSource dataSource, PartitionManager partitions, ObjectMapper json) {
    return new EventLogWriter(dataSource, partitions, json);
  }

  @Bean
  EventDecoder eventDecoder(ObjectMapper json, Clock clock, RetentionHorizon retention) {
    return new EventDecoder(json, clock, retention);
  }

  @Bean
  MetricUpdatePublisher metricUpdatePublisher(
      KafkaTemplate<String, byte[]> kafka, ObjectMapper json, MeterRegistry meters) {
    return new MetricUpdatePublisher(kafka, json, meters);
  }

  /**
   * Poison records go to {@code <topic>.dlt}, same partition, with Spring Kafka's original-topic,
   * partition, offset and exception headers plus {@value #REASON_HEADER}. The send is awaited, so
   * offsets are committed only after the dead letter is durable.
   */
  @Bean
  DeadLetterPublishingRecoverer deadLetterPublishingRecoverer(KafkaTemplate<String, byte[]> kafka) {
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            kafka,
            (record, error) ->
                new TopicPartition(
                    TOPICS_BY_NAME.containsKey(record.topic())
                        ? TOPICS_BY_NAME.get(record.topic()).deadLetterName()
                        : record.topic() + ".dlt",
                    record.partition()));
    recoverer.setFailIfSendResultIsError(true);
    recoverer.addHeadersFunction(
        (record, error) -> {
          String reason =
              error instanceof PoisonRecordException poison ? poison.reason() : "unexpected";
          return new RecordHeaders(
              new RecordHeader[] {
                new RecordHeader(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
              });
        });
    return recoverer;
  }

  /**
   * Whatever reaches the container's error handler is transient (poison records never leave the
   * listener as exceptions): retry the same batch with exponential back-off up to 10 s, with no
   * limit, and never commit past it. The recoverer only runs if that back-off is ever changed to a
   * finite one, and it then fails rather than skip.
   */
  @Bean
  DefaultErrorHandler kafkaErrorHandler() {
    ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
    backOff.setMaxInterval(10_000);
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            (record, error) -> {
              throw new IllegalStateException(
                  "refusing to skip a record after a transient error", error);
            },
            backOff);
    handler.setCommitRecovered(false);
    return handler;
  }

  @Bean
  EventBatchListener eventBatchListener(
      EventDecoder decoder,
      EventLogWriter writer,
      DeadLetterPublishingRecoverer deadLetters,
      MetricUpdatePublisher publisher,
      MeterRegistry meters) {
    return new EventBatchListener(decoder, writer, deadLetters, publisher, meters);
  }

  @Bean
  KafkaListenersHealthIndicator kafkaListenersHealthIndicator(
      KafkaListenerEndpointRegistry registry) {
    return new KafkaListenersHealthIndicator(registry);
  }
}
