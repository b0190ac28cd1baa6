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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A real PostgreSQL server started from a Maven dependency, its files under the data directory so that they
 * survive restarts. Used when no {@code PORTAL_DB_URL} is given, and by tests on machines without a server.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String DATABASE = "portal";

  /** In the data directory, readable by its owner only: the superuser's password, generated on first start. */
  public static final String PASSWORD_FILE = "pg-password";

  private final EmbeddedPostgres postgres;
  private final Path pgData;
  private final String password; // null: a throw-away server (tests), trust as initdb left it

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path pgData, String password) {
    this.postgres = postgres;
    this.pgData = pgData;
    this.password = password;
  }

  /** Blocking: call before Vert.x starts. {@code dataDir} null gives a throw-away server (tests). */
  public static EmbeddedDatabase start(Path dataDir) {
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("max_connections", "300");
      String password = null;
      boolean newPassword = false;
      if (dataDir != null) {
        Path pgData = dataDir.resolve("pg");
        Path binaries = dataDir.resolve("pg-bin");
        Files.createDirectories(binaries);
        builder.setDataDirectory(pgData).setCleanDataDirectory(false).setOverrideWorkingDirectory(binaries.toFile());
        // anyone on the machine could otherwise connect as the superuser (initdb's trust): a password of the data
        // directory's own. Until it is set (first start, or a data directory from before), this start trusts.
        Path file = dataDir.resolve(PASSWORD_FILE);
        newPassword = !Files.isReadable(file);
        password = newPassword ? generatePassword() : Files.readString(file).strip();
        String method = newPassword ? "trust" : "scram-sha-256";
        builder.setConnectConfig("password", password)
          .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), method));
      }
      EmbeddedPostgres pg = builder.start();
      EmbeddedDatabase db = new EmbeddedDatabase(pg, dataDir == null ? null : dataDir.resolve("pg"), password);
      if (newPassword) db.requirePassword(dataDir.resolve(PASSWORD_FILE));
      db.createDatabaseIfMissing(DATABASE);
      LOG.info("embedded PostgreSQL listening on 127.0.0.1:{}", pg.getPort());
      return db;
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Sets the password, keeps it (owner-only file), then requires it of every connection from now on. */
  private void requirePassword(Path file) throws SQLException, IOException {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      // base64url characters only (generatePassword): nothing to escape in the literal
      s.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      Path tmp = file.resolveSibling(PASSWORD_FILE + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, password + "\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      writeHba(pgData, "scram-sha-256");
      s.execute("SELECT pg_reload_conf()");
    }
    LOG.info("embedded PostgreSQL: the superuser's password is now required (kept in {})", file);
  }

  private static String generatePassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void writeHba(Path pgData, String method) {
    try {
      Files.writeString(pgData.resolve("pg_hba.conf"), "# written by the portal (EmbeddedDatabase): the password is"
        + " in the data directory's " + PASSWORD_FILE + "\n"
        + "local all all " + method + "\n"
        + "host  all all 127.0.0.1/32 " + method + "\n"
        + "host  all all ::1/128 " + method + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
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
      .setUser("postgres").setPassword(password == null ? "" : password);
  }

  /** For display: no password in it (it is in the data directory's {@value #PASSWORD_FILE}). */
  public String displayUrl(String database) {
    return "postgresql://postgres@127.0.0.1:" + port() + "/" + database;
  }

  /** With the password: what another node on this machine connects with. */
  public String url(String database) {
    return "postgresql://postgres" + (password == null ? "" : ":" + password) + "@127.0.0.1:" + port() + "/" + database;
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
