package edu.mentoring.portal.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.vertx.pgclient.PgConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server started from a Maven dependency, its files under the data directory so that they
 * survive restarts. Used when no {@code PORTAL_DB_URL} is given, and by tests on machines without a server.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String DATABASE = "portal";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Blocking: call before Vert.x starts. {@code dataDir} null gives a throw-away server (tests). */
  public static EmbeddedDatabase start(Path dataDir) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("max_connections", "300");
      if (dataDir != null) {
        Path pgData = dataDir.resolve("pg");
        Path binaries = dataDir.resolve("pg-bin");
        Files.createDirectories(binaries);
        builder.setDataDirectory(pgData).setCleanDataDirectory(false).setOverrideWorkingDirectory(binaries.toFile());
      }
      EmbeddedPostgres pg = builder.start();
      EmbeddedDatabase db = new EmbeddedDatabase(pg);
      db.createDatabaseIfMissing(DATABASE);
      LOG.info("embedded PostgreSQL listening on 127.0.0.1:{}", pg.getPort());
      return db;
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  public void createDatabaseIfMissing(String name) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) return;
      }
      s.execute("CREATE DATABASE \"" + name + "\"");
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public PgConnectOptions connectOptions(String database) {
    return new PgConnectOptions().setHost("127.0.0.1").setPort(port()).setDatabase(database)
      .setUser("postgres").setPassword("");
  }

  public String url(String database) {
    return "postgresql://postgres@127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
