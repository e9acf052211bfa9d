package dev.beacon.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every Beacon service promises ops, checked on the running service: liveness and readiness
 * probes, Prometheus metrics tagged with the application, build info, and its own schema migrated.
 * A service's {@code *ApplicationTests} extends this (or {@link BackendServiceConventionTests}) and
 * is annotated {@link IntegrationTest}.
 */
public abstract class ServiceConventionTests {

  @Autowired protected WebTestClient web;

  @Value("${spring.application.name}")
  private String applicationName;

  @Value("${spring.flyway.default-schema}")
  private String schema;

  @Value("${spring.flyway.url}")
  private String jdbcUrl;

  @Value("${spring.flyway.user}")
  private String user;

  @Value("${spring.flyway.password}")
  private String password;

  @Test
  void reportsLivenessAndReadiness() {
    for (String probe : new String[] {"liveness", "readiness"}) {
      web.get()
          .uri("/actuator/health/" + probe)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("UP");
    }
  }

  @Test
  void exposesPrometheusMetricsTaggedWithTheApplication() {
    web.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .consumeWith(
            result ->
                assertThat(result.getResponseBody())
                    .contains("application=\"" + applicationName + "\""));
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
        .isEqualTo(applicationName);
  }

  @Test
  void migratesItsOwnSchema() {
    JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, user, password));
    Integer applied =
        jdbc.queryForObject(
            "SELECT count(*) FROM " + schema + ".flyway_schema_history WHERE success",
            Integer.class);
    assertThat(applied).isPositive();
  }
}
