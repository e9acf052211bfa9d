package dev.beacon.alert.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.entitlements.EntitlementsProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** Every setting has its one default in application.yml, with no environment at all. */
class AlertPropertiesTests {

  @Test
  void applicationYmlAloneGivesEverySettingItsDefault() throws IOException {
    StandardEnvironment environment = applicationYmlOnly();

    AlertProperties properties =
        Binder.get(environment).bindOrCreate("beacon.alert", AlertProperties.class);
    EntitlementsProperties entitlements =
        Binder.get(environment).bindOrCreate("beacon.entitlements", EntitlementsProperties.class);

    assertThat(entitlements.free().alertRules())
        .as("Free's alert_rules in billing's V2 seed")
        .isEqualTo(3);
    assertThat(properties.publicUrl()).isEqualTo("http://localhost:8080");
    assertThat(properties.aggregatorUrl()).isEqualTo("http://localhost:8085");
    assertThat(properties.aggregatorTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(properties.minuteLength()).isEqualTo(Duration.ofMinutes(1));
    assertThat(properties.tick()).isEqualTo(Duration.ofSeconds(10));
    assertThat(properties.failuresBeforeDisable()).isEqualTo(5);
    assertThat(properties.sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));
    assertThat(properties.slack())
        .isEqualTo(
            new AlertProperties.Slack(
                List.of(),
                Duration.ofSeconds(10),
                1,
                Duration.ofSeconds(1),
                4,
                Duration.ofSeconds(1),
                0.5,
                Duration.ofSeconds(60)));
    assertThat(properties.outbox())
        .isEqualTo(
            new AlertProperties.Outbox(
                Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(30), 50, 16));
    assertThat(properties.mail().from()).isEqualTo("alerts@beacon.local");
  }

  @Test
  void theOldFreeAlertRulesVariableStillSetsFreesRuleLimit() throws IOException {
    StandardEnvironment environment = applicationYmlOnly();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("env", Map.of("BEACON_ALERT_FREE_ALERT_RULES", "10")));

    EntitlementsProperties entitlements =
        Binder.get(environment).bindOrCreate("beacon.entitlements", EntitlementsProperties.class);

    assertThat(entitlements.free().alertRules()).isEqualTo(10);
  }

  /** An environment with application.yml and nothing else (no system properties or variables). */
  private static StandardEnvironment applicationYmlOnly() throws IOException {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    for (PropertySource<?> source :
        new YamlPropertySourceLoader()
            .load("application.yml", new ClassPathResource("application.yml"))) {
      environment.getPropertySources().addLast(source);
    }
    ConfigurationPropertySources.attach(environment);
    return environment;
  }
}
