package dev.beacon.stack;

import dev.beacon.stack.StackSettings.DatabaseUrl;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A running local stack: infrastructure, then every service as its own process, each one watched.
 * {@link #close()} stops services first, then Kafka, then PostgreSQL, and leaves no process behind.
 */
final class Stack implements AutoCloseable {

  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration SERVICE_GRACE = Duration.ofSeconds(30);

  /** Streamed demo answers arrive a few words at a time, as a model's would. */
  private static final Duration DEMO_CHUNK_PAUSE = Duration.ofMillis(40);

  private final StackSettings settings;
  private final PrintStream console;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<ServiceSpec, ManagedProcess> services = new LinkedHashMap<>();
  private final AtomicReference<ManagedProcess> training = new AtomicReference<>();
  private final Map<ServiceSpec, ServiceImage> images =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final CountDownLatch exited = new CountDownLatch(1);
  private final AtomicReference<ManagedProcess> crashed = new AtomicReference<>();
  private Database database;
  private ManagedProcess kafka;
  private String kafkaBootstrapServers;
  private LocalSecrets secrets;
  private DemoProvider demoProvider;
  private StripeStandIn stripeStandIn;
  private GitHubStandIn gitHubStandIn;
  private volatile boolean closing;
  private boolean closed;

  Stack(StackSettings settings, PrintStream console) {
    this.settings = settings;
    this.console = console;
  }

  /**
   * Starts everything and returns once every service reports ready. On any failure what was started
   * is stopped again and a {@link StackException} says which part failed and why.
   */
  void start() {
    try {
      startAll();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void startAll() {
    createDirectories(settings.dataDir(), settings.logDir());
    diskSpaceWarning(settings.dataDir(), usableBytes(settings.dataDir()))
        .ifPresent(console::println);
    stopLeftoversOfAnEarlierRun();
    secrets =
        LocalSecrets.loadOrCreate(
            settings.dataDir().resolve("secrets.properties"),
            Optional.ofNullable(System.getenv("BEACON_IDENTITY_SECRET")).filter(s -> !s.isBlank()),
            settings.initApiKey(),
            Optional.ofNullable(System.getenv("BEACON_CHAT_KEYSET")).filter(s -> !s.isBlank()));

    database =
        settings
            .externalDatabase()
            .map(Database::external)
            .orElseGet(
                () -> {
                  console.println(
                      "Starting PostgreSQL 17 (embedded) on 127.0.0.1:" + settings.postgresPort());
                  return Database.startEmbedded(
                      settings.dataDir().resolve("postgres"),
                      settings.postgresPort(),
                      settings.logDir().resolve("postgres.log"));
                });

    if (settings.externalKafka().isPresent()) {
      kafkaBootstrapServers = settings.externalKafka().get();
    } else {
      console.println("Starting Kafka (KRaft) on 127.0.0.1:" + settings.kafkaPort());
      kafka =
          KafkaBroker.start(
              settings.dataDir().resolve("kafka"),
              settings.kafkaPort(),
              settings.logDir().resolve("kafka.log"));
      kafkaBootstrapServers = "127.0.0.1:" + settings.kafkaPort();
      watch(kafka);
    }
    writePids();
    KafkaBroker.awaitReadyAndCreateTopics(kafkaBootstrapServers, kafka);

    demoProvider = DemoProvider.start(settings.demoLlmPort(), Clock.systemUTC(), DEMO_CHUNK_PAUSE);
    if (realGitHub().isEmpty()) {
      gitHubStandIn = GitHubStandIn.start(Clock.systemUTC());
    }
    if (realStripe().isEmpty()) {
      stripeStandIn =
          StripeStandIn.start(
              URI.create("http://127.0.0.1:" + settings.basePort() + "/api/billing/stripe/webhook"),
              StripeStandIn.newWebhookSecret(),
              Clock.systemUTC());
    }

    prepareImages();
    console.println("Starting " + ServiceSpec.ALL.size() + " services");
    for (ServiceSpec service : ServiceSpec.ALL) {
      synchronized (this) {
        if (closing) {
          throw new StackException(service.module(), "start interrupted", "");
        }
        ManagedProcess process = startService(service);
        services.put(service, process);
        watch(process);
      }
    }
    writePids();
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    for (Map.Entry<ServiceSpec, ManagedProcess> entry : services.entrySet()) {
      ready.add(CompletableFuture.runAsync(() -> awaitReady(entry.getKey(), entry.getValue())));
    }
    try {
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Extracts rebuilt jars, all at once: only the first start after a build pays for it. */
  private void prepareImages() {
    ServiceSpec.ALL.parallelStream()
        .forEach(
            service ->
                images.put(
                    service,
                    ServiceImage.prepare(
                        settings.jarOf(service),
                        settings.dataDir().resolve("apps"),
                        settings.logDir().resolve(service.module() + ".log"))));
  }

  /**
   * Trains the CDS archive of every service that has none yet, one service at a time in the
   * background, once the stack is up: the first start after a build is not held up by it, and every
   * later start maps the archives. A training run that a stop interrupts is simply repeated at the
   * next start.
   */
  void trainClassDataSharingInBackground() {
    List<ServiceSpec> untrained =
        ServiceSpec.ALL.stream().filter(s -> !images.get(s).isTrained()).toList();
    if (untrained.isEmpty()) {
      return;
    }
    console.println(
        "Preparing class-data sharing for "
            + untrained.size()
            + " services in the background (once per build; later starts are faster)");
    Thread trainer =
        new Thread(
            () -> {
              for (ServiceSpec service : untrained) {
                if (closing) {
                  return;
                }
                images
                    .get(service)
                    .train(
                        settings.serviceJvmOptions(),
                        trainingEnvironment(service),
                        settings.logDir().resolve(service.module() + ".training.log"),
                        training::set);
              }
            },
            "beacon-cds-training");
    trainer.setDaemon(true);
    trainer.start();
  }

  private ManagedProcess startService(ServiceSpec service) {
    List<String> command = new ArrayList<>();
    command.addAll(ManagedProcess.ownSessionPrefix());
    command.add(ManagedProcess.javaBinary());
    command.addAll(settings.serviceJvmOptions());
    command.addAll(images.get(service).javaArguments());
    return ManagedProcess.start(
        service.module(),
        command,
        serviceEnvironment(service),
        settings.logDir().resolve(service.module() + ".log"));
  }

  /** The environment every service reads: ports, infrastructure, identity key, bootstrap. */
  Map<String, String> serviceEnvironment(ServiceSpec service) {
    DatabaseUrl db = database.url();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PORT", String.valueOf(service.port(settings.basePort())));
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
    env.put("BEACON_DB_HOST", db.host());
    env.put("BEACON_DB_PORT", String.valueOf(db.port()));
    env.put("BEACON_DB_NAME", db.database());
    env.put("BEACON_DB_USER", db.user());
    env.put("BEACON_DB_PASSWORD", db.password());
    env.put("BEACON_IDENTITY_SECRET", secrets.identitySecret());
    env.put("BEACON_INIT_USER_EMAIL", settings.initUserEmail());
    env.put("BEACON_INIT_WORKSPACE", settings.initWorkspace());
    env.put("BEACON_INIT_API_KEY", secrets.apiKey());
    env.put("BEACON_CHAT_KEYSET", secrets.chatKeyset());
    env.put(
        "BEACON_INTEGRATIONS_KEYSET",
        Optional.ofNullable(System.getenv("BEACON_INTEGRATIONS_KEYSET"))
            .filter(s -> !s.isBlank())
            .orElse(secrets.integrationsKeyset()));
    // local model servers (Ollama, an OpenAI-compatible server on this machine) may be configured
    env.put("BEACON_CHAT_ALLOW_PRIVATE_BASE_URLS", "true");
    // chat-service offers the demo provider (and its demo tools) under the local profile only
    env.put("BEACON_CHAT_DEMO_BASE_URL", demoProvider.baseUrl());
    if (stripeStandIn != null && service.module().equals("billing-service")) {
      // billing's Stripe is the launcher's stand-in unless BEACON_STRIPE_SECRET_KEY is set
      env.put("BEACON_STRIPE_SECRET_KEY", StripeStandIn.SECRET_KEY);
      env.put("BEACON_STRIPE_API_BASE", stripeStandIn.apiBase());
      env.put("BEACON_STRIPE_WEBHOOK_SECRET", stripeStandIn.webhookSecret());
      env.put("BEACON_STRIPE_PRICE_PRO", StripeStandIn.PRICES.get("pro"));
      env.put("BEACON_STRIPE_PRICE_BUSINESS", StripeStandIn.PRICES.get("business"));
      env.put("BEACON_STRIPE_PRICE_CREDITS_10", StripeStandIn.PACK_PRICES.get("credits_10"));
      env.put("BEACON_STRIPE_PRICE_CREDITS_50", StripeStandIn.PACK_PRICES.get("credits_50"));
    }
    if (gitHubStandIn != null && service.module().equals("integrations-service")) {
      // the GitHub integration is the launcher's stand-in unless a real GitHub OAuth app is set
      env.putAll(gitHubStandIn.integrationsEnvironment());
    }
    env.put("SPRING_PROFILES_ACTIVE", "local");
    env.put("BEACON_PUBLIC_URL", "http://127.0.0.1:" + settings.basePort());
    for (ServiceSpec other : ServiceSpec.ALL) {
      env.put(
          "BEACON_" + other.module().toUpperCase(Locale.ROOT).replace('-', '_') + "_URL",
          "http://127.0.0.1:" + other.port(settings.basePort()));
    }
    return env;
  }

  /**
   * A real start's environment on a random port: a training run binds its web server before it
   * exits, and must never hold the port the service itself is about to take.
   */
  private Map<String, String> trainingEnvironment(ServiceSpec service) {
    Map<String, String> env = serviceEnvironment(service);
    env.put("PORT", "0");
    return env;
  }

  private void awaitReady(ServiceSpec service, ManagedProcess process) {
    URI readiness =
        URI.create(
            "http://127.0.0.1:" + service.port(settings.basePort()) + "/actuator/health/readiness");
    long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new StackException(service.module(), "exited during start", process.tail(40));
      }
      if (closing) {
        throw new StackException(service.module(), "start interrupted", "");
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException(service.module(), "interrupted while waiting for health", "");
      }
      pause(Duration.ofMillis(250));
    }
    throw new StackException(
        service.module(),
        "not healthy within " + HEALTH_TIMEOUT.toSeconds() + " s",
        process.tail(40));
  }

  private void watch(ManagedProcess process) {
    process
        .process()
        .onExit()
        .thenRun(
            () -> {
              if (!process.isStopping() && !closing) {
                crashed.compareAndSet(null, process);
                exited.countDown();
              }
            });
  }

  /**
   * On the first start only, sends 24 hours of synthetic events through the public ingest API with
   * the bootstrap key, so a newcomer's dashboards have something to show. A failure is reported and
   * retried at the next start; it never stops the stack.
   *
   * @return a line for the console saying what happened, empty when nothing was to be done
   */
  Optional<String> loadDemoDataOnce() {
    Path done = settings.dataDir().resolve("demo-data.done");
    if (!settings.demoData() || Files.exists(done)) {
      return Optional.empty();
    }
    ServiceSpec ingest =
        ServiceSpec.ALL.stream()
            .filter(s -> s.module().equals("obs-ingest-service"))
            .findFirst()
            .orElseThrow();
    Path log = settings.logDir().resolve("demo-data.log");
    ManagedProcess generator =
        ManagedProcess.start(
            "demo-data",
            List.of(
                ManagedProcess.javaBinary(),
                "-Xmx256m",
                "-cp",
                ManagedProcess.launcherClassPath(),
                "dev.beacon.loadgen.DemoDataGenerator",
                "--url",
                "http://127.0.0.1:" + ingest.port(settings.basePort()),
                "--key",
                secrets.apiKey()),
            Map.of(),
            log);
    try {
      if (generator.process().waitFor(5, java.util.concurrent.TimeUnit.MINUTES)
          && generator.process().exitValue() == 0) {
        Files.writeString(done, java.time.Instant.now().toString());
        return Optional.of("Demo data: 24 hours of synthetic events sent with the demo key.");
      }
      generator.stop(Duration.ofSeconds(5));
      return Optional.of(
          "Demo data could not be loaded (see " + log + "); the next start tries again.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      generator.stop(Duration.ofSeconds(5));
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + done, e);
    }
  }

  /**
   * Blocks until a child dies on its own (returned) or the stack is closed (empty).
   *
   * @return the process that died unexpectedly, if any
   */
  Optional<ManagedProcess> awaitUnexpectedExit() throws InterruptedException {
    exited.await();
    return Optional.ofNullable(crashed.get());
  }

  Map<String, Integer> servicePorts() {
    return services.keySet().stream()
        .collect(
            Collectors.toMap(
                ServiceSpec::module,
                s -> s.port(settings.basePort()),
                (a, b) -> a,
                LinkedHashMap::new));
  }

  Map<String, ManagedProcess> serviceProcesses() {
    return services.entrySet().stream()
        .collect(
            Collectors.toMap(
                e -> e.getKey().module(), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  String kafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  DatabaseUrl databaseUrl() {
    return database.url();
  }

  LocalSecrets secrets() {
    return secrets;
  }

  /** A real Stripe secret key from the environment, which replaces the stand-in. */
  static Optional<String> realStripe() {
    return Optional.ofNullable(System.getenv("BEACON_STRIPE_SECRET_KEY")).filter(s -> !s.isBlank());
  }

  /** A real GitHub OAuth app's client id from the environment, which replaces the stand-in. */
  static Optional<String> realGitHub() {
    return Optional.ofNullable(System.getenv("BEACON_INTEGRATIONS_GITHUB_CLIENT_ID"))
        .filter(s -> !s.isBlank());
  }

  /** The GitHub stand-in's address, when it runs. */
  Optional<String> gitHubStandInUrl() {
    return Optional.ofNullable(gitHubStandIn).map(GitHubStandIn::baseUrl);
  }

  /** The Stripe stand-in's address, when it runs. */
  Optional<String> stripeStandInUrl() {
    return Optional.ofNullable(stripeStandIn).map(StripeStandIn::apiBase);
  }

  /** The demo LLM provider's base URL (OpenAI wire format under {@code /v1}). */
  String demoProviderBaseUrl() {
    return demoProvider.baseUrl();
  }

  /** Every process of the stack: services, the broker, and PostgreSQL's server processes. */
  List<ProcessHandle> processes() {
    List<ProcessHandle> all = new ArrayList<>();
    services.values().forEach(p -> all.add(p.process().toHandle()));
    if (kafka != null) {
      all.add(kafka.process().toHandle());
    }
    postgresPid()
        .flatMap(ProcessHandle::of)
        .ifPresent(
            postmaster -> {
              all.add(postmaster);
              postmaster.descendants().forEach(all::add);
            });
    return all;
  }

  private Optional<Long> postgresPid() {
    if (database == null || !database.isEmbedded()) {
      return Optional.empty();
    }
    Path pidFile = settings.dataDir().resolve("postgres").resolve("postmaster.pid");
    try {
      return Optional.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    exited.countDown();
    if (!services.isEmpty() || kafka != null || database != null) {
      console.println(
          "Stopping Beacon: services, then the demo LLM provider, Kafka, then PostgreSQL ...");
    }
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    for (ManagedProcess service : services.values()) {
      stopping.add(CompletableFuture.runAsync(() -> service.stop(SERVICE_GRACE)));
    }
    CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
    ManagedProcess trainingRun = training.get();
    if (trainingRun != null) {
      trainingRun.stop(Duration.ofSeconds(5));
    }
    if (demoProvider != null) {
      demoProvider.close();
    }
    if (stripeStandIn != null) {
      stripeStandIn.close();
    }
    if (gitHubStandIn != null) {
      gitHubStandIn.close();
    }
    if (kafka != null) {
      kafka.stop(Duration.ofSeconds(30));
    }
    if (database != null) {
      try {
        database.close();
      } catch (RuntimeException e) {
        console.println("PostgreSQL did not stop cleanly: " + e.getMessage());
      }
    }
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      // a stale pid file is checked at the next start
    }
    console.println("Stopped.");
  }

  private Path pidFile() {
    return settings.dataDir().resolve("stack.pids");
  }

  /** Records the pids of this run so {@code ./beacon down} and the next start can find them. */
  private void writePids() {
    List<String> lines = new ArrayList<>();
    lines.add(String.valueOf(ProcessHandle.current().pid()));
    if (kafka != null) {
      lines.add(String.valueOf(kafka.pid()));
    }
    services.values().forEach(p -> lines.add(String.valueOf(p.pid())));
    try {
      Files.write(pidFile(), lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + pidFile(), e);
    }
  }

  /**
   * A launcher killed with SIGKILL cannot stop its children; the next start stops what the last run
   * recorded, so ports and data are free again.
   */
  private void stopLeftoversOfAnEarlierRun() {
    if (!Files.exists(pidFile())) {
      return;
    }
    try {
      for (String line : Files.readAllLines(pidFile())) {
        ProcessHandle.of(Long.parseLong(line.trim()))
            .filter(h -> h.pid() != ProcessHandle.current().pid())
            .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
            .ifPresent(
                leftover -> {
                  console.println("Stopping process " + leftover.pid() + " left by an earlier run");
                  leftover.destroy();
                  leftover
                      .onExit()
                      .completeOnTimeout(leftover, 30, java.util.concurrent.TimeUnit.SECONDS)
                      .join();
                  leftover.destroyForcibly();
                });
      }
      Files.delete(pidFile());
    } catch (IOException | NumberFormatException e) {
      console.println("Ignoring unreadable " + pidFile());
    }
  }

  /** Below this much free space the start warns: a day of heavy load writes several GiB. */
  static final long LOW_DISK_BYTES = 4L << 30;

  /**
   * A warning when the disk holding the data directory is nearly full: when it fills, Kafka marks
   * its log directory failed and stops serving, and PostgreSQL refuses writes.
   */
  static Optional<String> diskSpaceWarning(Path dataDir, long usableBytes) {
    if (usableBytes < 0 || usableBytes >= LOW_DISK_BYTES) {
      return Optional.empty();
    }
    return Optional.of(
        "WARNING: only "
            + (usableBytes >> 20)
            + " MiB free on the disk holding "
            + dataDir
            + ". When it fills, Kafka stops serving (its log directory is marked failed) and"
            + " PostgreSQL refuses writes. Free some space, or set BEACON_DATA_DIR to a larger disk.");
  }

  private static long usableBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void createDirectories(Path... dirs) {
    for (Path dir : dirs) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir, e);
      }
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
