package dev.beacon.testsupport;

/** Connection details of a running Kafka broker and PostgreSQL server. */
public interface Infrastructure extends AutoCloseable {

  String kafkaBootstrapServers();

  /** JDBC URL of the {@code beacon} database. */
  String jdbcUrl();

  /** R2DBC URL of the same database. */
  String r2dbcUrl();

  String username();

  String password();

  @Override
  void close();
}
