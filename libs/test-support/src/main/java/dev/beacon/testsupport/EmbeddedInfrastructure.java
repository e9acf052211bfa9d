package dev.beacon.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** A KRaft broker and PostgreSQL 17 running inside the test JVM. */
final class EmbeddedInfrastructure implements Infrastructure {

  private static final String DATABASE = "beacon";
  private static final String USER = "postgres";

  private final EmbeddedKafkaKraftBroker kafka;
  private final EmbeddedPostgres postgres;

  private EmbeddedInfrastructure(EmbeddedKafkaKraftBroker kafka, EmbeddedPostgres postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  static EmbeddedInfrastructure start() {
    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 3);
    kafka.brokerProperties(
        Map.of(
            "auto.create.topics.enable", "true",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1"));
    kafka.afterPropertiesSet();
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      createDatabase(postgres);
      return new EmbeddedInfrastructure(kafka, postgres);
    } catch (IOException e) {
      kafka.destroy();
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  private static void createDatabase(EmbeddedPostgres postgres) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + DATABASE, e);
    }
  }

  @Override
  public String kafkaBootstrapServers() {
    return kafka.getBrokersAsString();
  }

  @Override
  public String jdbcUrl() {
    return postgres.getJdbcUrl(USER, DATABASE);
  }

  @Override
  public String r2dbcUrl() {
    return "r2dbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
  }

  @Override
  public String username() {
    return USER;
  }

  @Override
  public String password() {
    return "postgres";
  }

  @Override
  public void close() {
    kafka.destroy();
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
