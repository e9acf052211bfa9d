package dev.beacon.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one node) in its own OS process, for
 * tests that stop Kafka and start it again; the shared {@link BeaconInfrastructure} broker runs
 * inside the test JVM and cannot be stopped without losing it.
 *
 * <p>The broker runs {@code kafka.Kafka} from the test classpath (the Apache Kafka server jars come
 * with spring-kafka-test). Its ports are chosen once and its log directory is kept across {@link
 * #restart()}, so clients reconnect to the same address and find their records, producer state and
 * topics again. Its output goes to {@code broker.log} in that directory; a broker that does not
 * become ready fails with the tail of that file. {@link #close()} stops it and deletes the
 * directory.
 *
 * <pre>{@code
 * try (RestartableKafka kafka = RestartableKafka.create()) {
 *   kafka.start();
 *   kafka.awaitReady(Duration.ofSeconds(60));
 *   kafka.createTopics(List.of("orders"), 3);
 *   kafka.stop();    // clients see a broker that is gone
 *   kafka.restart(); // and the same broker back
 * }
 * }</pre>
 */
public final class RestartableKafka implements AutoCloseable {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final int TAIL_LINES = 40;

  private final Path dir;
  private final int brokerPort;
  private final int controllerPort;
  private final Path config;
  private final Path output;
  private final Thread killOnExit = new Thread(this::kill, "restartable-kafka-kill");
  private boolean formatted;
  private volatile Process process;

  private RestartableKafka(Path dir, int brokerPort, int controllerPort) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.config = dir.resolve("server.properties");
    this.output = dir.resolve("broker.log");
    writeConfig();
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** A broker on two free ports with a new temporary log directory; not started yet. */
  public static RestartableKafka create() {
    try {
      Path dir = Files.createTempDirectory("restartable-kafka-");
      int[] ports = freePorts();
      return new RestartableKafka(dir, ports[0], ports[1]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a Kafka broker directory", e);
    }
  }

  /** {@code 127.0.0.1:<port>}, the same before and after every restart. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** The broker's directory: configuration, log directory ({@code data}) and {@code broker.log}. */
  public Path directory() {
    return dir;
  }

  /** Whether the broker's process is running. */
  public boolean isRunning() {
    Process running = process;
    return running != null && running.isAlive();
  }

  /**
   * Starts the broker's process (formatting its storage the first time) and returns without waiting
   * for it to answer; see {@link #awaitReady(Duration)}.
   */
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException("the broker is already running");
    }
    if (!formatted) {
      format();
      formatted = true;
    }
    process = launch("kafka.Kafka", config.toString());
  }

  /**
   * Stops the broker as an operator would (SIGTERM, then SIGKILL) and waits until it has exited.
   */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    Process stopping = process;
    process = null;
    stopping.destroy();
    try {
      if (!stopping.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        stopping.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      stopping.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the broker", e);
    }
  }

  /** {@link #stop()}, then {@link #start()} on the same ports and log directory. */
  public synchronized void restart() {
    stop();
    start();
  }

  /**
   * Waits until the broker answers an admin request (it lists its topics).
   *
   * @throws IllegalStateException when it exits or does not answer in time, with the tail of its
   *     output
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        if (!isRunning()) {
          throw notReady("the broker is not running", null);
        }
        try {
          admin.listTopics().names().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw notReady("the broker did not answer within " + timeout.toSeconds() + " s", e);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw notReady("interrupted while waiting for the broker", e);
        }
      }
    }
  }

  /** Creates those of the topics that do not exist yet, with replication factor 1. */
  public void createTopics(Collection<String> names, int partitions) {
    try (Admin admin = admin()) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String name : names) {
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, partitions, (short) 1));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw notReady("could not create topics " + names, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw notReady("interrupted while creating topics", e);
    }
  }

  /** Stops the broker and deletes its directory. */
  @Override
  public synchronized void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs anyway and finds nothing to kill
    }
    deleteDirectory();
  }

  /** The last lines of the broker's output, for failure messages. */
  public String outputTail() {
    try {
      if (!Files.exists(output)) {
        return "";
      }
      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + output + ": " + e + ")";
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000));
  }

  private void format() {
    Process formatter =
        launch(
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            Uuid.randomUuid().toString(),
            "--config",
            config.toString(),
            "--ignore-formatted");
    try {
      if (!formatter.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        formatter.destroyForcibly();
        throw notReady(
            "formatting the storage took over " + FORMAT_TIMEOUT.toSeconds() + " s", null);
      }
      if (formatter.exitValue() != 0) {
        throw notReady("formatting the storage failed (exit " + formatter.exitValue() + ")", null);
      }
    } catch (InterruptedException e) {
      formatter.destroyForcibly();
      Thread.currentThread().interrupt();
      throw notReady("interrupted while formatting the storage", e);
    }
  }

  private Process launch(String mainClass, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xms64m",
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:MaxDirectMemorySize=128m",
            "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
            "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
            "-cp",
            System.getProperty("java.class.path"),
            mainClass));
    command.addAll(List.of(arguments));
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  private IllegalStateException notReady(String reason, Exception cause) {
    return new IllegalStateException(
        "Kafka at "
            + bootstrapServers()
            + ": "
            + reason
            + (cause == null ? "" : " (" + cause + ")")
            + "; last lines of "
            + output
            + ":\n"
            + outputTail(),
        cause);
  }

  private void writeConfig() {
    String properties =
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:"
                + brokerPort
                + ",CONTROLLER://127.0.0.1:"
                + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            // the log cleaner's default 128 MB dedupe buffer does not always fit a 256 MB heap
            "log.cleaner.dedupe.buffer.size=16777216",
            "num.network.threads=2",
            "num.io.threads=2",
            "");
    // the broker logs through whichever binding the test classpath has: logback or log4j2
    String logback =
        String.join(
            "\n",
            "<configuration>",
            "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
            "    <encoder><pattern>%d{ISO8601} %-5level [%logger{0}] %msg%n</pattern></encoder>",
            "  </appender>",
            "  <logger name=\"kafka.server.KafkaRaftServer\" level=\"INFO\"/>",
            "  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>",
            "</configuration>",
            "");
    String log4j2 =
        String.join(
            "\n",
            "status = warn",
            "appender.out.type = Console",
            "appender.out.name = OUT",
            "appender.out.layout.type = PatternLayout",
            "appender.out.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n",
            "rootLogger.level = warn",
            "rootLogger.appenderRef.out.ref = OUT",
            "logger.server.name = kafka.server.KafkaRaftServer",
            "logger.server.level = info",
            "");
    try {
      Files.writeString(config, properties);
      Files.writeString(dir.resolve("logback.xml"), logback);
      Files.writeString(dir.resolve("log4j2.properties"), log4j2);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the broker's configuration in " + dir, e);
    }
  }

  private static int[] freePorts() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket broker = new ServerSocket(0, 1, loopback);
        ServerSocket controller = new ServerSocket(0, 1, loopback)) {
      return new int[] {broker.getLocalPort(), controller.getLocalPort()};
    }
  }

  private void kill() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
    }
  }

  private void deleteDirectory() {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
