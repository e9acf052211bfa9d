package dev.beacon.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beacon.stack.StackSettings.DatabaseUrl;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSettingsTests {

  private static final Path REPO = Path.of("/repo");

  @Test
  void defaultsToEmbeddedInfrastructureOnTheDocumentedPorts() {
    StackSettings settings = StackSettings.fromEnvironment(Map.of(), REPO);

    assertThat(settings.dataDir()).isEqualTo(Path.of("/repo/.data"));
    assertThat(settings.basePort()).isEqualTo(8080);
    assertThat(settings.kafkaPort()).isEqualTo(9092);
    assertThat(settings.postgresPort()).isEqualTo(5432);
    assertThat(settings.demoLlmPort()).isEqualTo(8099);
    assertThat(settings.externalKafka()).isEmpty();
    assertThat(settings.externalDatabase()).isEmpty();
    assertThat(settings.serviceJvmOptions()).isEqualTo(StackSettings.DEFAULT_SERVICE_JVM_OPTIONS);
    assertThat(settings.initApiKey()).isEmpty();
    assertThat(settings.demoData()).isTrue();
  }

  @Test
  void demoDataCanBeSwitchedOff() {
    for (String off : new String[] {"off", "false", "0", "no", " OFF "}) {
      assertThat(StackSettings.fromEnvironment(Map.of("BEACON_DEMO_DATA", off), REPO).demoData())
          .as(off)
          .isFalse();
    }
  }

  @Test
  void usesExternalKafkaAndPostgresWhenBothAreGiven() {
    StackSettings settings =
        StackSettings.fromEnvironment(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092",
                "BEACON_DB_URL", "postgresql://app:s3cret@db.internal:6543/observability"),
            REPO);

    assertThat(settings.externalKafka()).contains("kafka-1:9092,kafka-2:9092");
    assertThat(settings.externalDatabase())
        .contains(new DatabaseUrl("db.internal", 6543, "observability", "app", "s3cret"));
  }

  @Test
  void acceptsAJdbcStyleDatabaseUrlAndFillsInDefaults() {
    assertThat(DatabaseUrl.parse("jdbc:postgresql://db/beacon"))
        .isEqualTo(new DatabaseUrl("db", 5432, "beacon", "beacon", "beacon"));
    assertThat(DatabaseUrl.parse("postgres://u@db:5433/"))
        .isEqualTo(new DatabaseUrl("db", 5433, "beacon", "u", ""));
  }

  @Test
  void rejectsADatabaseUrlOfAnotherKindWithTheExpectedShape() {
    assertThatThrownBy(() -> DatabaseUrl.parse("mysql://db:3306/beacon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("postgresql://user:password@host:5432/beacon");
  }

  @Test
  void theDemoLlmProvidersPortCanBeMoved() {
    assertThat(
            StackSettings.fromEnvironment(Map.of("BEACON_DEMO_LLM_PORT", "18099"), REPO)
                .demoLlmPort())
        .isEqualTo(18099);
  }

  @Test
  void rejectsAPortThatIsNotANumberByName() {
    assertThatThrownBy(
            () -> StackSettings.fromEnvironment(Map.of("BEACON_BASE_PORT", "eighty"), REPO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BEACON_BASE_PORT must be a number, got 'eighty'");
  }

  @Test
  void blankVariablesCountAsUnset() {
    StackSettings settings =
        StackSettings.fromEnvironment(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", " ", "BEACON_INIT_API_KEY", "", "BEACON_JVM_OPTS", ""),
            REPO);

    assertThat(settings.externalKafka()).isEmpty();
    assertThat(settings.initApiKey()).isEmpty();
    assertThat(settings.serviceJvmOptions()).isEqualTo(StackSettings.DEFAULT_SERVICE_JVM_OPTIONS);
  }

  @Test
  void splitsServiceJvmOptionsOnWhitespace() {
    StackSettings settings =
        StackSettings.fromEnvironment(Map.of("BEACON_JVM_OPTS", " -Xmx512m  -XX:+UseG1GC "), REPO);

    assertThat(settings.serviceJvmOptions()).containsExactly("-Xmx512m", "-XX:+UseG1GC");
  }
}
