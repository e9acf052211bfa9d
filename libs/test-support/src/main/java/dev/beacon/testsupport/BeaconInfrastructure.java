package dev.beacon.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The real Kafka broker and the real PostgreSQL that integration tests run against, started once
 * per test JVM and stopped when it exits.
 *
 * <p>With a reachable Docker engine the infrastructure runs in Testcontainers; without one (our
 * machines and CI) it runs embedded in the test JVM: a KRaft broker from the Apache Kafka artifacts
 * and PostgreSQL 17 from zonky's binaries. Set {@code -Dbeacon.test.infrastructure} to {@code
 * embedded} or {@code containers} to force a choice.
 */
public final class BeaconInfrastructure {

  private static final Logger log = LoggerFactory.getLogger(BeaconInfrastructure.class);
  private static Infrastructure running;

  private BeaconInfrastructure() {}

  /** The running infrastructure, started on first use. */
  public static synchronized Infrastructure get() {
    if (running == null) {
      running = start(choose());
      Runtime.getRuntime()
          .addShutdownHook(new Thread(BeaconInfrastructure::stop, "beacon-infrastructure-stop"));
    }
    return running;
  }

  /** Stops the infrastructure if it runs; called once the test session ends. */
  static synchronized void stop() {
    if (running != null) {
      Infrastructure stopping = running;
      running = null;
      stopping.close();
    }
  }

  /**
   * The HS256 key tests sign forwarded identities with; services under test verify with it. Never
   * used outside tests.
   */
  public static final String TEST_IDENTITY_SECRET = "beacon-test-identity-secret-at-least-32-bytes";

  /**
   * Spring properties that point a Beacon service at this infrastructure: Kafka bootstrap servers,
   * R2DBC and Flyway connection settings, and the test identity key.
   */
  public static Map<String, String> springProperties() {
    Infrastructure infra = get();
    return Map.of(
        "beacon.identity.secret", TEST_IDENTITY_SECRET,
        "spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers(),
        "spring.r2dbc.url", infra.r2dbcUrl(),
        "spring.r2dbc.username", infra.username(),
        "spring.r2dbc.password", infra.password(),
        "spring.flyway.url", infra.jdbcUrl(),
        "spring.flyway.user", infra.username(),
        "spring.flyway.password", infra.password());
  }

  private static Kind choose() {
    String forced = System.getProperty("beacon.test.infrastructure", "").toLowerCase(Locale.ROOT);
    if (forced.equals("embedded")) {
      return Kind.EMBEDDED;
    }
    if (forced.equals("containers")) {
      return Kind.CONTAINERS;
    }
    return dockerAvailable() ? Kind.CONTAINERS : Kind.EMBEDDED;
  }

  private static boolean dockerAvailable() {
    boolean configured =
        System.getenv("DOCKER_HOST") != null
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    if (!configured) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static Infrastructure start(Kind kind) {
    long started = System.nanoTime();
    Infrastructure infra =
        kind == Kind.CONTAINERS ? ContainerInfrastructure.start() : EmbeddedInfrastructure.start();
    log.info(
        "Test infrastructure ({}) ready in {} ms: kafka={} postgres={}",
        kind,
        (System.nanoTime() - started) / 1_000_000,
        infra.kafkaBootstrapServers(),
        infra.jdbcUrl());
    return infra;
  }

  enum Kind {
    EMBEDDED,
    CONTAINERS
  }
}
