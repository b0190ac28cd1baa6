package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.testing.TestDatabase;
import edu.mentoring.portal.testing.TestPortal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up that cannot work stops at once, before the database is touched, with one line naming the setting and what
 * to do (docs/operations.md, "Clear start-up failures").
 */
@DisplayName("Start-up failures: one line naming the setting, before anything is started")
class StartupFailuresTest {
  @TempDir
  Path dir;

  private Map<String, String> settings(TestDatabase db) {
    Map<String, String> s = new HashMap<>();
    s.put(PortalConfig.DB_URL, db.url());
    s.put(PortalConfig.HTTP_HOST, "127.0.0.1");
    s.put(PortalConfig.HTTP_PORT, "0");
    s.put(PortalConfig.JWT_SECRET, TestPortal.SECRET);
    s.put(PortalConfig.BCRYPT_COST, "4");
    s.put(PortalConfig.HTTP_INSTANCES, "1");
    s.put(PortalConfig.DATA_DIR, dir.resolve("data").toString());
    return s;
  }

  /** Flyway's table exists once migrations ran: its absence shows nothing was started on the database. */
  private static boolean migrated(TestDatabase db) {
    return db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'") > 0;
  }

  private static ConfigException startFails(Map<String, String> settings) {
    long t0 = System.nanoTime();
    ConfigException e = assertThrows(ConfigException.class, () -> PortalNode.start(PortalConfig.from(settings)));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 8_000, "stopped at once, not after retries: " + ms + " ms");
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  @DisplayName("a busy HTTP port stops start-up naming PORTAL_HTTP_PORT and the port, before migrations run")
  void busyPort() throws IOException {
    try (TestDatabase db = TestDatabase.create(); ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      Map<String, String> s = settings(db);
      s.put(PortalConfig.HTTP_PORT, Integer.toString(taken.getLocalPort()));
      ConfigException e = startFails(s);
      assertTrue(e.getMessage().startsWith(PortalConfig.HTTP_PORT + ": port " + taken.getLocalPort()), e.getMessage());
      assertTrue(e.getMessage().contains("already in use"), e.getMessage());
      assertFalse(migrated(db), "the database was not touched");
    }
  }

  @Test
  @DisplayName("an unreachable PORTAL_DB_URL stops start-up within seconds, naming the setting, host and port")
  void unreachableDatabase() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // nothing listens there once closed
    }
    try (TestDatabase db = TestDatabase.create()) {
      Map<String, String> s = settings(db);
      s.put(PortalConfig.DB_URL, "postgresql://postgres@127.0.0.1:" + closed + "/portal");
      ConfigException e = startFails(s);
      assertTrue(e.getMessage().startsWith(PortalConfig.DB_URL + ": cannot reach PostgreSQL at 127.0.0.1:" + closed),
        e.getMessage());
      // a database that does not exist on a server that answers is told apart
      s.put(PortalConfig.DB_URL, db.url().replaceAll("/[^/]+$", "/no_such_database_here"));
      ConfigException missing = startFails(s);
      assertTrue(missing.getMessage().contains("has no database 'no_such_database_here'"), missing.getMessage());
    }
  }

  @Test
  @DisplayName("a data directory held by another node stops start-up naming PORTAL_DATA_DIR, before PostgreSQL starts")
  void dataDirectoryInUse() {
    Path data = dir.resolve("shared-data");
    try (Preflight.DataDirLock held = Preflight.lockDataDir(data)) {
      Map<String, String> s = new HashMap<>();
      s.put(PortalConfig.HTTP_HOST, "127.0.0.1");
      s.put(PortalConfig.HTTP_PORT, "0");
      s.put(PortalConfig.DATA_DIR, data.toString()); // the embedded default: its database lives there
      ConfigException e = startFails(s);
      assertTrue(e.getMessage().startsWith(PortalConfig.DATA_DIR + ": " + data + " is in use by another portal node"),
        e.getMessage());
      assertFalse(Files.exists(data.resolve("pg")), "no embedded PostgreSQL was started in it");
    }
    // released: the next node may have it (checked without starting one)
    Preflight.lockDataDir(data).close();
  }

  @Test
  @DisplayName("a cluster address that is not this machine's stops start-up naming PORTAL_CLUSTER_HOST")
  void clusterCannotBeJoined() {
    try (TestDatabase db = TestDatabase.create()) {
      Map<String, String> s = settings(db);
      s.put(PortalConfig.CLUSTER, "true");
      s.put(PortalConfig.CLUSTER_MEMBERS, "192.0.2.10"); // TEST-NET-1: never an address of this machine
      s.put(PortalConfig.CLUSTER_HOST, "192.0.2.10");
      s.putAll(edu.mentoring.portal.testing.ClusterKeys.settings());
      ConfigException e = startFails(s);
      assertTrue(e.getMessage().startsWith(PortalConfig.CLUSTER_HOST + ": 192.0.2.10 is not an address of this machine"),
        e.getMessage());
      assertFalse(migrated(db));
    }
  }

  @Test
  @DisplayName("scripts/start's main prints exactly one line for a busy port and exits 2, with no stack trace")
  void mainSaysOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      List<String> cmd = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), PortalMain.class.getName()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().keySet().removeIf(k -> k.startsWith("PORTAL_"));
      pb.environment().put(PortalConfig.HTTP_HOST, "127.0.0.1");
      pb.environment().put(PortalConfig.HTTP_PORT, Integer.toString(taken.getLocalPort()));
      pb.environment().put(PortalConfig.DATA_DIR, dir.resolve("main-data").toString());
      pb.environment().put(PortalConfig.CONFIG_FILE, Files.writeString(dir.resolve("empty.properties"), "").toString());
      Process p = pb.start();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exited");
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(2, p.exitValue(), err);
      assertEquals(List.of("Cannot start: " + PortalConfig.HTTP_PORT + ": port " + taken.getLocalPort() + " on 127.0.0.1"
        + " is already in use: stop what listens there or choose another port"), err.lines().toList());
      assertFalse(Files.exists(dir.resolve("main-data").resolve("pg")), "no embedded PostgreSQL was started");
    }
  }
}
