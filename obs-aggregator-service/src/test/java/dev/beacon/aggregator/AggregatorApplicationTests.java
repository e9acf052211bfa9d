package dev.beacon.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beacon.testsupport.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;

@IntegrationTest
class AggregatorApplicationTests {

  @Autowired WebTestClient web;

  @Value("${spring.flyway.url}")
  String jdbcUrl;

  @Value("${spring.flyway.user}")
  String user;

  @Value("${spring.flyway.password}")
  String password;

  @Test
  void reportsLivenessAndReadiness() {
    web.get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    web.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void exposesPrometheusMetricsTaggedWithTheApplication() {
    web.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("application=\"obs-aggregator-service\""));
  }

  @Test
  void exposesBuildInfo() {
    web.get()
        .uri("/actuator/info")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.build.artifact")
        .isEqualTo("obs-aggregator-service");
  }

  @Test
  void refusesApiRequestsWithoutAForwardedIdentity() {
    web.get()
        .uri("/api/anything")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("identity_missing");
  }

  @Test
  void migratesItsOwnSchema() {
    JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, user, password));
    Integer applied =
        jdbc.queryForObject(
            "SELECT count(*) FROM obs.flyway_schema_history WHERE success", Integer.class);
    assertThat(applied).isPositive();
  }
}
