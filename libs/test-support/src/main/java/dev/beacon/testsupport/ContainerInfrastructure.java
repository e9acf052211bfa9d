package dev.beacon.testsupport;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** Kafka and PostgreSQL in Testcontainers, for machines with a Docker engine. */
final class ContainerInfrastructure implements Infrastructure {

  private final KafkaContainer kafka;
  private final PostgreSQLContainer postgres;

  private ContainerInfrastructure(KafkaContainer kafka, PostgreSQLContainer postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  static ContainerInfrastructure start() {
    KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");
    PostgreSQLContainer postgres =
        new PostgreSQLContainer("postgres:17").withDatabaseName("beacon");
    kafka.start();
    postgres.start();
    return new ContainerInfrastructure(kafka, postgres);
  }

  @Override
  public String kafkaBootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  public String jdbcUrl() {
    return postgres.getJdbcUrl();
  }

  @Override
  public String r2dbcUrl() {
    return "r2dbc:postgresql://"
        + postgres.getHost()
        + ":"
        + postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT)
        + "/"
        + postgres.getDatabaseName();
  }

  @Override
  public String username() {
    return postgres.getUsername();
  }

  @Override
  public String password() {
    return postgres.getPassword();
  }

  @Override
  public void close() {
    kafka.stop();
    postgres.stop();
  }
}
