package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beacon.events.Topic;
import dev.beacon.events.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system as {@code ./beacon up} runs it: the real broker and PostgreSQL, every service
 * jar built by this reactor as its own process, one stack after another on the same data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackSystemTests {

  @TempDir static Path dataDir;

  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
  private static final PrintStream console =
      new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);
  private static StackSettings settings;
  private static Stack stack;
  private static final Map<String, String> sentOnFirstRun = new HashMap<>();
  private static String firstApiKey;

  @BeforeAll
  static void startStack() throws IOException {
    Path repoRoot = Path.of("").toAbsolutePath().resolve("../..").normalize();
    settings =
        new StackSettings(
            repoRoot,
            dataDir,
            freeConsecutivePorts(ServiceSpec.ALL.size()),
            freeConsecutivePorts(2),
            freeConsecutivePorts(1),
            freeConsecutivePorts(1),
            Optional.empty(),
            Optional.empty(),
            StackSettings.DEFAULT_SERVICE_JVM_OPTIONS,
            "system-test@beacon.local",
            "system-test",
            Optional.empty(),
            true);
    assertThat(settings.missingJars()).as("service jars built by the reactor").isEmpty();
    stack = new Stack(settings, console);
    stack.start();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void everyServiceReportsLiveAndReady() throws Exception {
    assertThat(stack.servicePorts()).hasSize(7);
    for (Map.Entry<String, Integer> service : stack.servicePorts().entrySet()) {
      for (String probe : List.of("liveness", "readiness")) {
        HttpResponse<String> response = get(service.getValue(), "/actuator/health/" + probe);
        assertThat(response.statusCode()).as(service.getKey() + " " + probe).isEqualTo(200);
        assertThat(response.body()).contains("\"UP\"");
      }
      assertThat(get(service.getValue(), "/actuator/prometheus").body())
          .contains("application=\"" + service.getKey() + "\"");
    }
  }

  @Test
  @Order(2)
  void theFirstStartSendsDemoDataThroughTheIngestApiOnce() {
    assertThat(stack.loadDemoDataOnce())
        .hasValueSatisfying(line -> assertThat(line).startsWith("Demo data: "));
    assertThat(dataDir.resolve("demo-data.done")).exists();
    assertThat(stack.loadDemoDataOnce()).isEmpty();
  }

  @Test
  @Order(2)
  void everyTopicOfTheRegistryCarriesARecordBackAndForth() {
    for (Topic<?, ?> topic : Topics.all()) {
      sentOnFirstRun.put(topic.name(), UUID.randomUUID().toString());
    }
    try (KafkaProducer<String, String> producer = producer()) {
      for (Map.Entry<String, String> sent : sentOnFirstRun.entrySet()) {
        producer.send(new ProducerRecord<>(sent.getKey(), "ws:agent", sent.getValue()));
      }
      producer.flush();
    }
    assertThat(consumeAll(sentOnFirstRun.keySet())).containsAllEntriesOf(sentOnFirstRun);
  }

  @Test
  @Order(3)
  void classDataSharingIsTrainedInTheBackgroundForTheNextStart() {
    stack.trainClassDataSharingInBackground();
    await()
        .atMost(Duration.ofMinutes(8))
        .untilAsserted(
            () -> {
              for (ServiceSpec service : ServiceSpec.ALL) {
                assertThat(dataDir.resolve("apps").resolve(service.module()).resolve("app.jsa"))
                    .isRegularFile();
              }
            });
    assertThat(stack.servicePorts().keySet())
        .allSatisfy(service -> assertThat(get(stack.servicePorts().get(service))).isEqualTo(200));
  }

  @Test
  @Order(3)
  void eachServiceMigratedItsOwnSchema() throws Exception {
    try (Connection connection = database();
        Statement statement = connection.createStatement()) {
      for (String schema :
          List.of(
              "identity", "chat", "billing", "integrations", "obs_ingest", "obs", "obs_alert")) {
        try (ResultSet result =
            statement.executeQuery(
                "SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success")) {
          result.next();
          assertThat(result.getInt(1)).as(schema).isPositive();
        }
      }
      statement.execute("CREATE TABLE public.survives_restart (marker text)");
      statement.execute("INSERT INTO public.survives_restart VALUES ('first run')");
    }
    firstApiKey = stack.secrets().apiKey();
    assertThat(LocalSecrets.isWellFormedApiKey(firstApiKey)).isTrue();
  }

  @Test
  @Order(4)
  void stoppingLeavesNoProcessBehind() {
    List<ProcessHandle> processes = new ArrayList<>(stack.processes());
    assertThat(processes).hasSizeGreaterThan(8);
    stack.close();
    // PostgreSQL's postmaster is reaped by init, a moment after pg_ctl reports it stopped
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(processes).noneMatch(ProcessHandle::isAlive));
    assertThat(dataDir.resolve("stack.pids")).doesNotExist();
  }

  @Test
  @Order(5)
  void aRestartKeepsKafkaAndPostgresDataAndTheApiKey() throws Exception {
    stack = new Stack(settings, console);
    stack.start();
    assertThat(consumeAll(sentOnFirstRun.keySet())).containsAllEntriesOf(sentOnFirstRun);
    try (Connection connection = database();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT marker FROM public.survives_restart")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getString(1)).isEqualTo("first run");
    }
    assertThat(stack.secrets().apiKey()).isEqualTo(firstApiKey);
    assertThat(stack.secrets().apiKeyGenerated()).isFalse();
    assertThat(stack.serviceProcesses().values())
        .allSatisfy(
            service ->
                assertThat(service.process().info().arguments().orElseThrow())
                    .anySatisfy(arg -> assertThat(arg).startsWith("-XX:SharedArchiveFile=")));
  }

  @Test
  @Order(6)
  void aServiceThatDiesIsReportedWithItsLog() {
    CompletableFuture<Optional<ManagedProcess>> crash =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return stack.awaitUnexpectedExit();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    ManagedProcess chat = stack.serviceProcesses().get("chat-service");
    chat.process().destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(crash::isDone);
    assertThat(crash.join())
        .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("chat-service"));
    assertThat(chat.tail(200)).contains("Started ChatApplication");
  }

  /** The readiness status of the service on {@code port}. */
  private static int get(int port) throws Exception {
    return get(port, "/actuator/health/readiness").statusCode();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Connection database() throws Exception {
    StackSettings.DatabaseUrl db = stack.databaseUrl();
    return DriverManager.getConnection(
        "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database(),
        db.user(),
        db.password());
  }

  private static KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(props);
  }

  /** Reads every topic from the beginning until each sent value is seen; topic → last value. */
  private static Map<String, String> consumeAll(java.util.Set<String> topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    Map<String, String> seen = new HashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(topics);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(500))) {
                  if (sentOnFirstRun.containsValue(record.value())) {
                    seen.put(record.topic(), record.value());
                  }
                }
                return seen.keySet().containsAll(topics);
              });
    }
    return seen;
  }

  /**
   * The first of {@code count} consecutive free loopback ports, below Linux's ephemeral range so
   * that no outgoing connection takes one before its server binds it.
   */
  private static int freeConsecutivePorts(int count) throws IOException {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int first = 20_000 + random.nextInt(10_000);
      if (allocated.stream().anyMatch(p -> p >= first - 8 && p < first + count + 8)) {
        continue;
      }
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int port = first; port < first + count; port++) {
          held.add(new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress()));
        }
        allocated.add(first);
        return first;
      } catch (IOException taken) {
        // try another range
      } finally {
        for (ServerSocket socket : held) {
          socket.close();
        }
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }

  private static final List<Integer> allocated = new ArrayList<>();
}
