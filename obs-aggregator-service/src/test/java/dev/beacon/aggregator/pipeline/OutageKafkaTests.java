package dev.beacon.aggregator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.aggregator.AggregatorApplication;
import dev.beacon.aggregator.EventStream;
import dev.beacon.aggregator.Events;
import dev.beacon.events.ObsEvent;
import dev.beacon.testsupport.BeaconInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * A second aggregator, in its own consumer group and on its own PostgreSQL, against the shared
 * broker: its database is stopped mid-stream and restarted, and the aggregator itself is stopped
 * mid-stream and started again. Either way the totals come out exact, nothing missing, nothing
 * twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutageKafkaTests {

  private final String group = "outage-" + UUID.randomUUID();
  private Path dataDirectory;
  private int port;
  private EmbeddedPostgres postgres;
  private ConfigurableApplicationContext aggregator;
  private EventStream stream;

  @BeforeAll
  void start() throws IOException {
    dataDirectory = Files.createTempDirectory("outage-pg");
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    postgres = startPostgres();
    aggregator = startAggregator();
    String jdbcUrl = "jdbc:postgresql://localhost:" + port + "/postgres";
    stream =
        EventStream.standalone(
            new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, "postgres", "postgres")));
  }

  @AfterAll
  void stop() throws IOException {
    if (aggregator != null) {
      aggregator.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (dataDirectory != null) {
      FileSystemUtils.deleteRecursively(dataDirectory);
    }
  }

  @Test
  void postgresStoppedMidStreamThenRestartedGivesTheSameTotals() throws IOException {
    String workspace = Events.newWorkspace();
    List<ObsEvent> events = events(workspace, 300);
    stream.publish(events.subList(0, 100));
    await().atMost(Duration.ofSeconds(60)).until(() -> stream.daily(workspace, "calls") == 100);

    postgres.close();
    stream.publish(events.subList(100, 300));
    stream.publish(events.subList(150, 200));
    MeterRegistry meters = aggregator.getBean(MeterRegistry.class);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> meters.counter("beacon.aggregator.batch.failures").count() > 0);
    postgres = startPostgres();

    await().atMost(Duration.ofSeconds(90)).until(() -> stream.daily(workspace, "calls") >= 300);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> stream.daily(workspace, "calls") == 300);
    assertThat(stream.storedEvents(workspace)).isEqualTo(300);
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(300L * 3_500_000);
    assertThat(stream.minute(workspace, "calls")).isEqualTo(300);
  }

  @Test
  void aggregatorStoppedMidStreamAndRestartedGivesTheSameTotals() {
    String workspace = Events.newWorkspace();
    List<ObsEvent> events = events(workspace, 400);
    stream.publish(events.subList(0, 100));
    await().atMost(Duration.ofSeconds(60)).until(() -> stream.daily(workspace, "calls") > 0);
    Thread publisher = new Thread(() -> stream.publish(events.subList(100, 400)));
    publisher.start();
    aggregator.close();
    await().atMost(Duration.ofSeconds(30)).until(() -> !publisher.isAlive());

    aggregator = startAggregator();
    stream.publish(events.subList(0, 50));

    await().atMost(Duration.ofSeconds(90)).until(() -> stream.daily(workspace, "calls") >= 400);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> stream.daily(workspace, "calls") == 400);
    assertThat(stream.storedEvents(workspace)).isEqualTo(400);
    assertThat(stream.daily(workspace, "cost_nano_usd")).isEqualTo(400L * 3_500_000);
  }

  private static List<ObsEvent> events(String workspace, int count) {
    OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(30);
    List<ObsEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          Events.llmCall(
              workspace,
              "agent-" + (i % 5),
              "openai",
              "gpt-4o",
              base.plusSeconds(i),
              1000,
              100,
              0,
              0,
              10));
    }
    return events;
  }

  private EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private ConfigurableApplicationContext startAggregator() {
    Map<String, Object> properties = new HashMap<>(BeaconInfrastructure.springProperties());
    String jdbcUrl = "jdbc:postgresql://localhost:" + port + "/postgres";
    properties.put("spring.r2dbc.url", "r2dbc:postgresql://localhost:" + port + "/postgres");
    properties.put("spring.r2dbc.username", "postgres");
    properties.put("spring.r2dbc.password", "postgres");
    properties.put("spring.flyway.url", jdbcUrl);
    properties.put("spring.flyway.user", "postgres");
    properties.put("spring.flyway.password", "postgres");
    properties.put("spring.kafka.consumer.group-id", group);
    properties.put("server.port", "0");
    String[] arguments =
        properties.entrySet().stream()
            .map(p -> "--" + p.getKey() + "=" + p.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(AggregatorApplication.class).run(arguments);
  }
}
