package dev.beacon.stack;

import dev.beacon.stack.StackSettings.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The PostgreSQL the services use: external when {@code BEACON_DB_URL} is set, otherwise a real
 * PostgreSQL 17 from zonky's embedded binaries, its data kept under {@code .data/postgres}.
 */
final class Database implements AutoCloseable {

  static final String DATABASE = "beacon";
  static final String USER = "beacon";
  static final String PASSWORD = "beacon";
  static final String SHARED_BUFFERS = "512MB";

  private final DatabaseUrl url;
  private final EmbeddedPostgres embedded;

  private Database(DatabaseUrl url, EmbeddedPostgres embedded) {
    this.url = url;
    this.embedded = embedded;
  }

  static Database external(DatabaseUrl url) {
    return new Database(url, null);
  }

  static Database startEmbedded(Path dataDir, int port, Path logFile) {
    try {
      Files.createDirectories(dataDir);
      Files.createDirectories(logFile.getParent());
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .setPort(port)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "200")
              // zonky starts PostgreSQL with fsync and synchronous commit off, fine for throwaway
              // test databases; the local stack keeps its data, so it gets the durable defaults
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("listen_addresses", "127.0.0.1")
              // sized for the aggregator's write path (docs/adr/0009-aggregator-write-path.md):
              // the dedupe index of random event ids must stay in the buffer cache, and rarer
              // checkpoints mean fewer full-page images in the WAL
              .setServerConfig("shared_buffers", SHARED_BUFFERS)
              .setServerConfig("max_wal_size", "4GB")
              .setServerConfig("checkpoint_timeout", "15min")
              .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      provision(postgres);
      return new Database(
          new DatabaseUrl("127.0.0.1", postgres.getPort(), DATABASE, USER, PASSWORD), postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  /** Creates the {@code beacon} role and database once; later starts find them in place. */
  private static void provision(EmbeddedPostgres postgres) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", USER)) {
        statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
      }
      if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
        statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not provision the beacon database", e);
    }
  }

  private static boolean exists(Connection connection, String query, String name)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, name);
      try (ResultSet result = statement.executeQuery()) {
        return result.next();
      }
    }
  }

  DatabaseUrl url() {
    return url;
  }

  boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
      }
    }
  }
}
