package edu.mentoring.portal.testing;

import edu.mentoring.portal.bootstrap.EmbeddedDatabase;
import edu.mentoring.portal.bootstrap.PortalConfig;
import io.vertx.pgclient.PgConnectOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database per test class on a real PostgreSQL: {@code PORTAL_TEST_DB_URL} if set (a superuser
 * URL), else the server on 127.0.0.1:5432 if one answers, else an embedded server started once per JVM.
 */
public final class TestDatabase implements AutoCloseable {
  private static PgConnectOptions server;
  private static EmbeddedDatabase embedded;

  private final PgConnectOptions options;

  private TestDatabase(PgConnectOptions options) {
    this.options = options;
  }

  public static synchronized PgConnectOptions server() {
    if (server != null) return server;
    String url = System.getenv("PORTAL_TEST_DB_URL");
    if (url != null && !url.isBlank()) {
      server = PortalConfig.parseDbUrl(url);
    } else if (reachable("127.0.0.1", 5432)) {
      server = new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setUser("postgres").setPassword("")
        .setDatabase("postgres");
    } else {
      embedded = EmbeddedDatabase.start(null);
      Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
      server = embedded.connectOptions("postgres");
    }
    return server;
  }

  private static boolean reachable(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Creates {@code portal_test_<random>} and hands back its connect options. */
  public static TestDatabase create() {
    PgConnectOptions admin = server();
    String name = "portal_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute(admin, "CREATE DATABASE " + name);
    return new TestDatabase(new PgConnectOptions(admin).setDatabase(name));
  }

  public PgConnectOptions options() {
    return options;
  }

  public String url() {
    return "postgresql://" + options.getUser() + (options.getPassword() == null || options.getPassword().isEmpty()
      ? "" : ":" + options.getPassword()) + "@" + options.getHost() + ":" + options.getPort() + "/"
      + options.getDatabase();
  }

  /** A JDBC connection for assertions on what the database holds (tests only). */
  public Connection jdbc() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/"
      + options.getDatabase(), options.getUser(), options.getPassword());
  }

  public long count(String sql) {
    try (Connection c = jdbc(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Until some session of this database waits for a lock (a request got as far as a row a test holds locked). */
  public void awaitLockWait(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        + " AND datname = current_database()") > 0) return;
    }
    throw new AssertionError("no session waited for a lock");
  }

  /** Polls (the event pipeline is asynchronous: numbering, notifications, rolls) until the count is {@code expected}. */
  public void awaitCount(String sql, long expected) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
    while (count(sql) != expected && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    org.junit.jupiter.api.Assertions.assertEquals(expected, count(sql), sql);
  }

  /**
   * Waits until everything that follows a commit has happened: every event numbered, its notifications written,
   * every group session's roll and cohort task's assignees taken.
   */
  public void awaitSettled() {
    awaitCount("SELECT (SELECT count(*) FROM activity_feed WHERE id IS NULL)"
      + " + (SELECT COALESCE(max(id), 0) FROM activity_feed) - (SELECT position FROM event_cursors WHERE name = 'notified')"
      + " + (SELECT count(*) FROM schedules WHERE attendees_added_at IS NULL)"
      + " + (SELECT count(*) FROM tasks WHERE assignees_added_at IS NULL)", 0);
  }

  private static void execute(PgConnectOptions o, String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/"
      + o.getDatabase(), o.getUser(), o.getPassword()); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    execute(server(), "DROP DATABASE IF EXISTS " + options.getDatabase() + " WITH (FORCE)");
  }
}
