package dev.beacon.stack;

import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * The Kafka broker of the local stack: the real Apache Kafka broker ({@code kafka.Kafka}) in KRaft
 * mode as its own process, combined broker and controller, its log under {@code .data/kafka}.
 */
final class KafkaBroker {

  /** Partitions of every Beacon topic and its dead-letter topic. */
  static final int PARTITIONS = 3;

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private KafkaBroker() {}

  static ManagedProcess start(Path kafkaDir, int port, Path logFile) {
    Path config = writeConfig(kafkaDir, port);
    Path log4j = writeLogConfig(kafkaDir);
    if (!Files.exists(kafkaDir.resolve("data").resolve("meta.properties"))) {
      format(config, log4j, logFile);
    }
    List<String> command = new ArrayList<>(ManagedProcess.ownSessionPrefix());
    command.addAll(
        List.of(
            ManagedProcess.javaBinary(),
            "-Xms128m",
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:MaxDirectMemorySize=128m",
            "-Dlog4j2.configurationFile=" + log4j,
            "-cp",
            ManagedProcess.launcherClassPath(),
            "kafka.Kafka",
            config.toString()));
    return ManagedProcess.start("kafka", command, Map.of(), logFile);
  }

  /**
   * Waits until the broker answers, then creates every topic of the {@link Topics} registry and its
   * dead-letter topic, with the same partition count, if missing.
   */
  static void awaitReadyAndCreateTopics(String bootstrapServers, ManagedProcess broker) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
      while (true) {
        if (broker != null && !broker.isAlive()) {
          throw new StackException("kafka", "the broker exited during start", broker.tail(40));
        }
        try {
          Set<String> existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
          List<NewTopic> missing = new ArrayList<>();
          for (String name : topicNames()) {
            if (!existing.contains(name)) {
              missing.add(new NewTopic(name, PARTITIONS, (short) 1));
            }
          }
          if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
          }
          return;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new StackException(
                "kafka",
                "not ready within " + READY_TIMEOUT.toSeconds() + " s: " + e.getMessage(),
                broker == null ? "" : broker.tail(40));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StackException("kafka", "interrupted while waiting", "");
        }
      }
    }
  }

  /** Every topic name the stack creates: the registry's topics and their dead-letter topics. */
  static List<String> topicNames() {
    List<String> names = new ArrayList<>();
    for (Topic<?, ?> topic : Topics.all()) {
      names.add(topic.name());
      names.add(topic.deadLetterName());
    }
    return names;
  }

  private static void format(Path config, Path log4j, Path logFile) {
    ManagedProcess formatter =
        ManagedProcess.start(
            "kafka-storage-format",
            List.of(
                ManagedProcess.javaBinary(),
                "-Xmx256m",
                "-Dlog4j2.configurationFile=" + log4j,
                "-cp",
                ManagedProcess.launcherClassPath(),
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                config.toString(),
                "--ignore-formatted"),
            Map.of(),
            logFile);
    try {
      if (!formatter.process().waitFor(60, TimeUnit.SECONDS)
          || formatter.process().exitValue() != 0) {
        formatter.stop(Duration.ofSeconds(5));
        throw new StackException("kafka", "formatting the storage failed", formatter.tail(20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("kafka", "interrupted while formatting storage", "");
    }
  }

  private static Path writeConfig(Path kafkaDir, int port) {
    int controllerPort = port + 1;
    Map<String, String> settings =
        new java.util.LinkedHashMap<>(
            Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry(
                    "listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
                Map.entry("log.dirs", kafkaDir.resolve("data").toString()),
                Map.entry("num.partitions", String.valueOf(PARTITIONS)),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("log.retention.hours", "168"),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "4")));
    String text =
        settings.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("\n", "# written by ./beacon up at every start\n", "\n"));
    return write(kafkaDir.resolve("server.properties"), text);
  }

  private static Path writeLogConfig(Path kafkaDir) {
    return write(
        kafkaDir.resolve("log4j2.properties"),
        String.join(
            "\n",
            "status = warn",
            "appender.console.type = Console",
            "appender.console.name = STDOUT",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.stdout.ref = STDOUT",
            "logger.kafka.name = kafka",
            "logger.kafka.level = warn",
            "logger.apache.name = org.apache.kafka",
            "logger.apache.level = warn",
            "logger.server.name = kafka.server.KafkaRaftServer",
            "logger.server.level = info",
            ""));
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
