package dev.beacon.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.events.ObsEvent;
import dev.beacon.events.Topics;
import dev.beacon.testsupport.BeaconInfrastructure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Publishes events the way ingest does and reads back what the aggregator stored. */
public final class EventStream {

  private final KafkaTemplate<String, byte[]> kafka;
  private final ObjectMapper json;
  private final JdbcTemplate jdbc;

  public EventStream(KafkaTemplate<String, byte[]> kafka, ObjectMapper json, JdbcTemplate jdbc) {
    this.kafka = kafka;
    this.json = json;
    this.jdbc = jdbc;
  }

  /** A stream with its own producer, independent of any application context. */
  public static EventStream standalone(JdbcTemplate jdbc) {
    DefaultKafkaProducerFactory<String, byte[]> producers =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BeaconInfrastructure.get().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
    return new EventStream(new KafkaTemplate<>(producers), JsonMapper.builder().build(), jdbc);
  }

  public void publish(List<ObsEvent> events) {
    CompletableFuture<?>[] sends =
        events.stream()
            .map(
                event ->
                    kafka.send(
                        Topics.forType(event.type()).name(),
                        Topics.eventKey(event.workspaceId(), event.agentId()),
                        json.writeValueAsBytes(event)))
            .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(sends).orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** The partition Kafka's default partitioner gives the event: the one it is consumed from. */
  public int partitionOf(ObsEvent event) {
    String topic = Topics.forType(event.type()).name();
    byte[] key =
        Topics.eventKey(event.workspaceId(), event.agentId()).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(key)) % kafka.partitionsFor(topic).size();
  }

  public void publishRaw(String topic, String key, byte[] value) {
    kafka.send(topic, key, value).orTimeout(30, TimeUnit.SECONDS).join();
  }

  public long storedEvents(String workspaceId) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM obs.events WHERE workspace_id = ?", Long.class, workspaceId);
  }

  /** Sum of a daily metrics column over a workspace. */
  public long daily(String workspaceId, String column) {
    return sum("metrics_daily", workspaceId, column);
  }

  /** Sum of a minute metrics column over a workspace. */
  public long minute(String workspaceId, String column) {
    return sum("metrics_minute", workspaceId, column);
  }

  /** Sum of an hourly metrics column over a workspace. */
  public long hourly(String workspaceId, String column) {
    return sum("metrics_hourly", workspaceId, column);
  }

  /** Rows of a metrics table for a workspace. */
  public long rows(String table, String workspaceId) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM obs." + table + " WHERE workspace_id = ?", Long.class, workspaceId);
  }

  private long sum(String table, String workspaceId, String column) {
    return jdbc.queryForObject(
        "SELECT coalesce(sum(" + column + "), 0) FROM obs." + table + " WHERE workspace_id = ?",
        Long.class,
        workspaceId);
  }

  /**
   * A workspace's hourly rows next to the sums of its minute rows per hour, one line per (hour,
   * agent, type, subject) and per bucket table, every measure including the merged histogram; equal
   * lists mean the hourly rows are exactly the sums of the minute rows.
   */
  public List<String> hoursOf(String workspaceId, String table) {
    String hour =
        table.equals("metrics_hourly") ? "hour_start" : "date_trunc('hour', minute_start, 'UTC')";
    return rollup(workspaceId, table, hour + ", agent_id, type, subject");
  }

  /** Like {@link #hoursOf}, per UTC day, for {@code metrics_hourly} or {@code metrics_daily}. */
  public List<String> daysOf(String workspaceId, String table) {
    String day = table.equals("metrics_daily") ? "day" : "(hour_start AT TIME ZONE 'UTC')::date";
    return rollup(workspaceId, table, day + ", agent_id, type, subject");
  }

  /**
   * Like {@link #daysOf}, per (day, type, subject) over all agents and shards, for {@code
   * metrics_daily} or {@code metrics_daily_subject}.
   */
  public List<String> subjectDaysOf(String workspaceId, String table) {
    return rollup(workspaceId, table, "day, type, subject");
  }

  /**
   * Like {@link #daysOf}, per (day, agent, type) over all subjects, for {@code metrics_daily} or
   * {@code metrics_daily_agent}.
   */
  public List<String> agentDaysOf(String workspaceId, String table) {
    return rollup(workspaceId, table, "day, agent_id, type");
  }

  /**
   * Like {@link #hoursOf}, per (hour, type, subject) over all agents and shards, for {@code
   * metrics_hourly} or {@code metrics_hourly_subject}.
   */
  public List<String> subjectHoursOf(String workspaceId, String table) {
    return rollup(workspaceId, table, "hour_start, type, subject");
  }

  /**
   * Like {@link #hoursOf}, per (hour, agent, type) over all subjects, for {@code metrics_hourly} or
   * {@code metrics_hourly_agent}.
   */
  public List<String> agentHoursOf(String workspaceId, String table) {
    return rollup(workspaceId, table, "hour_start, agent_id, type");
  }

  /**
   * Asserts that every rollup of a workspace (ADR 0010, 0011) holds exactly the sums of the rows it
   * rolls up, in every measure and the merged histogram.
   */
  public void assertRollupsAddUp(String workspaceId) {
    assertThat(subjectHoursOf(workspaceId, "metrics_hourly_subject"))
        .as("hourly by subject")
        .isEqualTo(subjectHoursOf(workspaceId, "metrics_hourly"));
    assertThat(agentHoursOf(workspaceId, "metrics_hourly_agent"))
        .as("hourly by agent")
        .isEqualTo(agentHoursOf(workspaceId, "metrics_hourly"));
    assertThat(subjectDaysOf(workspaceId, "metrics_daily_subject"))
        .as("daily by subject")
        .isEqualTo(subjectDaysOf(workspaceId, "metrics_daily"));
    assertThat(agentDaysOf(workspaceId, "metrics_daily_agent"))
        .as("daily by agent")
        .isEqualTo(agentDaysOf(workspaceId, "metrics_daily"));
  }

  /** One line per group: the group's columns, then the sums of every measure. */
  private List<String> rollup(String workspaceId, String table, String groups) {
    return jdbc.queryForList(
        "SELECT concat_ws(' ', "
            + groups
            + ", sum(calls), sum(errors), sum(input_tokens),"
            + " sum(output_tokens), sum(cached_input_tokens), sum(reasoning_tokens),"
            + " sum(cost_nano_usd), sum(unpriced_calls), sum(duration_count), sum(duration_ms_sum),"
            + " max(duration_ms_max), obs.sum_buckets(latency_buckets)::text) AS line FROM obs."
            + table
            + " WHERE workspace_id = ? GROUP BY "
            + groups
            + " ORDER BY 1",
        String.class,
        workspaceId);
  }

  public JdbcTemplate jdbc() {
    return jdbc;
  }
}
