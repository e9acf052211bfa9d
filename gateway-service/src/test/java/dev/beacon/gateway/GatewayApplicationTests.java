package dev.beacon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class GatewayApplicationTests extends GatewayTestSupport {

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
    assertThat(prometheus()).contains("application=\"gateway-service\"");
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
        .isEqualTo("gateway-service");
  }

  @Test
  void migratesItsOwnSchema() {
    JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, user, password));
    Integer applied =
        jdbc.queryForObject(
            "SELECT count(*) FROM identity.flyway_schema_history WHERE success", Integer.class);
    assertThat(applied).isPositive();
  }
}
