package dev.beacon.stack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the local stack runs with, all from the environment.
 *
 * @param repoRoot the checkout, where each service's jar lives under {@code <module>/target}
 * @param dataDir where Kafka, PostgreSQL, secrets and logs are kept across restarts
 * @param basePort the gateway's port; service {@code n} listens on {@code basePort + n}
 * @param kafkaPort the embedded broker's client port (its controller uses the next one)
 * @param postgresPort the embedded PostgreSQL's port
 * @param demoLlmPort the demo LLM provider's port (a local script in the launcher, not a model)
 * @param externalKafka bootstrap servers of an external broker, instead of the embedded one
 * @param externalDatabase an external PostgreSQL, instead of the embedded one
 * @param serviceJvmOptions JVM options for every service process
 * @param initUserEmail bootstrap user passed to the services
 * @param initWorkspace bootstrap workspace passed to the services
 * @param initApiKey bootstrap API key; generated and kept under the data dir when absent
 * @param demoData whether the first start sends 24 hours of demo events through the ingest API
 */
record StackSettings(
    Path repoRoot,
    Path dataDir,
    int basePort,
    int kafkaPort,
    int postgresPort,
    int demoLlmPort,
    Optional<String> externalKafka,
    Optional<DatabaseUrl> externalDatabase,
    List<String> serviceJvmOptions,
    String initUserEmail,
    String initWorkspace,
    Optional<String> initApiKey,
    boolean demoData) {

  static final List<String> DEFAULT_SERVICE_JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xss512k",
          "-Xms32m",
          "-Xmx192m",
          "-XX:MaxMetaspaceSize=160m",
          "-XX:ReservedCodeCacheSize=48m",
          "-XX:MaxDirectMemorySize=128m",
          "-XX:+ExitOnOutOfMemoryError");

  static StackSettings fromEnvironment(Map<String, String> env, Path repoRoot) {
    Path dataDir =
        Optional.ofNullable(env.get("BEACON_DATA_DIR"))
            .map(Path::of)
            .orElse(repoRoot.resolve(".data"))
            .toAbsolutePath();
    return new StackSettings(
        repoRoot,
        dataDir,
        intValue(env, "BEACON_BASE_PORT", 8080),
        intValue(env, "BEACON_KAFKA_PORT", 9092),
        intValue(env, "BEACON_POSTGRES_PORT", 5432),
        intValue(env, "BEACON_DEMO_LLM_PORT", 8099),
        Optional.ofNullable(blankToNull(env.get("KAFKA_BOOTSTRAP_SERVERS"))),
        Optional.ofNullable(blankToNull(env.get("BEACON_DB_URL"))).map(DatabaseUrl::parse),
        Optional.ofNullable(blankToNull(env.get("BEACON_JVM_OPTS")))
            .map(options -> List.of(options.trim().split("\\s+")))
            .orElse(DEFAULT_SERVICE_JVM_OPTIONS),
        env.getOrDefault("BEACON_INIT_USER_EMAIL", "demo@beacon.local"),
        env.getOrDefault("BEACON_INIT_WORKSPACE", "demo"),
        Optional.ofNullable(blankToNull(env.get("BEACON_INIT_API_KEY"))),
        !List.of("off", "false", "0", "no")
            .contains(
                env.getOrDefault("BEACON_DEMO_DATA", "on")
                    .trim()
                    .toLowerCase(java.util.Locale.ROOT)));
  }

  Path logDir() {
    return dataDir.resolve("logs");
  }

  Path jarOf(ServiceSpec service) {
    return repoRoot.resolve(service.module()).resolve("target").resolve(service.module() + ".jar");
  }

  List<Path> missingJars() {
    return ServiceSpec.ALL.stream()
        .map(this::jarOf)
        .filter(jar -> !Files.isRegularFile(jar))
        .toList();
  }

  private static int intValue(Map<String, String> env, String name, int fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * An external PostgreSQL given as {@code BEACON_DB_URL=postgresql://user:password@host:5432/db}
   * (the libpq URI form).
   */
  record DatabaseUrl(String host, int port, String database, String user, String password) {

    static DatabaseUrl parse(String url) {
      URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            "BEACON_DB_URL must look like postgresql://user:password@host:5432/beacon");
      }
      String userInfo = Optional.ofNullable(uri.getUserInfo()).orElse("beacon:beacon");
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      String password = colon < 0 ? "" : userInfo.substring(colon + 1);
      String database =
          uri.getPath() == null || uri.getPath().length() <= 1
              ? "beacon"
              : uri.getPath().substring(1);
      return new DatabaseUrl(
          uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password);
    }
  }
}
