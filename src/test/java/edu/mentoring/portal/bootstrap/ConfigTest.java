package edu.mentoring.portal.bootstrap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Configuration: defaults, env over conf file, and every bad setting stops start-up naming itself")
class ConfigTest {
  private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!!";
  private static final String DB = "postgresql://portal:pw@db.school.example:5432/portal";

  @TempDir
  Path dir;

  /** The config a start with these settings (and an empty conf file) would run with. */
  private PortalConfig load(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    Path empty = dir.resolve("empty.properties");
    try {
      if (!Files.exists(empty)) Files.createFile(empty);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    env.put(PortalConfig.CONFIG_FILE, empty.toString());
    for (int i = 0; i < keyValues.length; i += 2) env.put(keyValues[i], keyValues[i + 1]);
    return PortalConfig.load(env);
  }

  private void refused(String setting, String... keyValues) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(keyValues));
    assertTrue(e.getMessage().contains(setting), () -> "'" + e.getMessage() + "' should name " + setting);
  }

  @Test
  @DisplayName("with nothing set, a node runs on port 8080 with an embedded database, a generated secret and demo data")
  void defaults() {
    PortalConfig c = load();
    assertEquals(8080, c.httpPort());
    assertEquals("0.0.0.0", c.httpHost());
    assertTrue(c.embeddedDatabase());
    assertNull(c.dbUrl());
    assertNull(c.jwtSecret(), "generated under the data dir on the embedded default");
    assertEquals(Path.of("./data").toAbsolutePath().normalize(), c.dataDir());
    assertEquals(60, c.jwtTtlMinutes());
    assertFalse(c.clustered());
    assertEquals(List.of("127.0.0.1"), c.clusterMembers());
    assertEquals("127.0.0.1", c.clusterHost(), "loopback members: the cluster binds to loopback");
    assertEquals(5701, c.clusterPort());
    assertEquals(List.of(), c.allowedOrigins());
    assertTrue(c.demoData(), "demo data is on by default only on the embedded default");
    assertNull(c.adminEmail());
    assertNull(c.adminPassword());
  }

  @Test
  @DisplayName("with an external database the demo data is off unless asked for, and blank values count as unset")
  void externalDatabaseDefaults() {
    PortalConfig c = load(PortalConfig.DB_URL, DB, PortalConfig.JWT_SECRET, SECRET, PortalConfig.HTTP_PORT, "  ");
    assertFalse(c.embeddedDatabase());
    assertFalse(c.demoData());
    assertEquals(8080, c.httpPort());
    assertEquals(SECRET, c.jwtSecret());
    var db = PortalConfig.parseDbUrl(c.dbUrl());
    assertEquals("db.school.example", db.getHost());
    assertEquals(5432, db.getPort());
    assertEquals("portal", db.getDatabase());
    assertEquals("portal", db.getUser());
    assertEquals("pw", db.getPassword());
    assertTrue(load(PortalConfig.DB_URL, DB, PortalConfig.JWT_SECRET, SECRET, PortalConfig.DEMO_DATA, "TRUE").demoData());
  }

  @Test
  @DisplayName("the environment overrides the conf file, which overrides the defaults; other variables are ignored")
  void envOverridesFile() throws Exception {
    Path file = dir.resolve("portal.properties");
    Files.writeString(file, String.join("\n",
      "# the school's settings",
      "PORTAL_HTTP_PORT = 9000",
      "PORTAL_CLUSTER = true",
      "PORTAL_CLUSTER_MEMBERS = 10.0.0.1, 10.0.0.2",
      "PORTAL_CLUSTER_KEYSTORE = " + Files.writeString(dir.resolve("cluster.p12"), "not read here"),
      "PORTAL_CLUSTER_KEYSTORE_PASSWORD = secret",
      "PORTAL_ALLOWED_ORIGINS = https://portal.school.example"), StandardCharsets.UTF_8);
    Map<String, String> env = Map.of(
      PortalConfig.CONFIG_FILE, file.toString(),
      PortalConfig.HTTP_PORT, "9100",
      "HOME", "/root",
      "PATH", "/usr/bin");
    PortalConfig c = PortalConfig.load(env);
    assertEquals(9100, c.httpPort(), "env wins");
    assertTrue(c.clustered(), "from the file");
    assertEquals(List.of("10.0.0.1", "10.0.0.2"), c.clusterMembers());
    assertNull(c.clusterHost(), "non-loopback members: Hazelcast picks the interface");
    assertEquals(List.of("https://portal.school.example"), c.allowedOrigins());
    ConfigException missing = assertThrows(ConfigException.class,
      () -> PortalConfig.load(Map.of(PortalConfig.CONFIG_FILE, dir.resolve("none").toString())));
    assertTrue(missing.getMessage().contains(PortalConfig.CONFIG_FILE), "a named conf file that is missing is a mistake");
  }

  @Test
  @DisplayName("an HTTP port that is not a number, or out of range, is refused naming PORTAL_HTTP_PORT")
  void badPort() {
    refused(PortalConfig.HTTP_PORT, PortalConfig.HTTP_PORT, "abc");
    refused(PortalConfig.HTTP_PORT, PortalConfig.HTTP_PORT, "70000");
    refused(PortalConfig.HTTP_PORT, PortalConfig.HTTP_PORT, "-1");
    refused(PortalConfig.CLUSTER_PORT, PortalConfig.CLUSTER_PORT, "0x10");
    refused(PortalConfig.JWT_TTL_MINUTES, PortalConfig.JWT_TTL_MINUTES, "0");
  }

  @Test
  @DisplayName("a database URL that is not postgresql://user:pass@host:port/db is refused naming PORTAL_DB_URL")
  void badDbUrl() {
    refused(PortalConfig.DB_URL, PortalConfig.DB_URL, "mysql://x", PortalConfig.JWT_SECRET, SECRET);
    refused(PortalConfig.DB_URL, PortalConfig.DB_URL, "postgresql://db.school.example", PortalConfig.JWT_SECRET, SECRET);
    refused(PortalConfig.DB_URL, PortalConfig.DB_URL, "postgresql://a b@host/db", PortalConfig.JWT_SECRET, SECRET);
    refused(PortalConfig.DB_URL, PortalConfig.DB_URL, "jdbc:postgresql://host/db", PortalConfig.JWT_SECRET, SECRET);
  }

  @Test
  @DisplayName("a clustered node without a readable TLS keystore (and its password) is refused, naming the setting")
  void clusterNeedsKeystore() throws Exception {
    refused(PortalConfig.CLUSTER_KEYSTORE, PortalConfig.CLUSTER, "true");
    refused(PortalConfig.CLUSTER_KEYSTORE, PortalConfig.CLUSTER, "true", PortalConfig.CLUSTER_KEYSTORE,
      dir.resolve("missing.p12").toString(), PortalConfig.CLUSTER_KEYSTORE_PASSWORD, "pw");
    Path store = Files.writeString(dir.resolve("present.p12"), "x");
    refused(PortalConfig.CLUSTER_KEYSTORE_PASSWORD, PortalConfig.CLUSTER, "true", PortalConfig.CLUSTER_KEYSTORE,
      store.toString());
    PortalConfig ok = load(PortalConfig.CLUSTER, "true", PortalConfig.CLUSTER_KEYSTORE, store.toString(),
      PortalConfig.CLUSTER_KEYSTORE_PASSWORD, "pw");
    assertEquals(store.toAbsolutePath().normalize(), ok.clusterKeystore());
  }

  @Test
  @DisplayName("booleans are true or false only: PORTAL_CLUSTER=yes and PORTAL_DEMO_DATA=maybe are refused")
  void badBooleans() {
    refused(PortalConfig.CLUSTER, PortalConfig.CLUSTER, "yes");
    refused(PortalConfig.DEMO_DATA, PortalConfig.DEMO_DATA, "maybe");
  }

  @Test
  @DisplayName("a JWT secret under 32 bytes is refused, and an external database needs one")
  void badSecret() {
    refused(PortalConfig.JWT_SECRET, PortalConfig.JWT_SECRET, "short");
    refused(PortalConfig.JWT_SECRET, PortalConfig.JWT_SECRET, "x".repeat(31));
    refused(PortalConfig.JWT_SECRET, PortalConfig.DB_URL, DB);
    assertEquals("é".repeat(16), load(PortalConfig.JWT_SECRET, "é".repeat(16)).jwtSecret(), "32 bytes in UTF-8");
  }

  @Test
  @DisplayName("the start-up admin needs both email and password, a real email and a password of 8+ characters")
  void badAdmin() {
    refused(PortalConfig.ADMIN_PASSWORD, PortalConfig.ADMIN_EMAIL, "root@school.test");
    refused(PortalConfig.ADMIN_EMAIL, PortalConfig.ADMIN_PASSWORD, "long-enough-1");
    refused(PortalConfig.ADMIN_EMAIL, PortalConfig.ADMIN_EMAIL, "root", PortalConfig.ADMIN_PASSWORD, "long-enough-1");
    refused(PortalConfig.ADMIN_PASSWORD, PortalConfig.ADMIN_EMAIL, "root@school.test",
      PortalConfig.ADMIN_PASSWORD, "short");
  }

  @Test
  @DisplayName("an allowed origin must look like https://host[:port], without a path")
  void badOrigins() {
    refused(PortalConfig.ALLOWED_ORIGINS, PortalConfig.ALLOWED_ORIGINS, "not-an-origin");
    refused(PortalConfig.ALLOWED_ORIGINS, PortalConfig.ALLOWED_ORIGINS, "https://ok.example,https://x.example/path");
    assertEquals(List.of("https://a.example", "http://localhost:3000"),
      load(PortalConfig.ALLOWED_ORIGINS, "https://a.example, http://localhost:3000").allowedOrigins());
  }

  @Test
  @DisplayName("overload limits and database timeouts default to 1,024 waiting for a connection, 5 s / 2 s / 10 s, 256 requests in flight, bcrypt on half the cores with 32 waiting")
  void overloadDefaults() {
    PortalConfig c = load();
    assertEquals(8, c.dbPoolSize());
    assertEquals(1_024, c.dbWaitQueue());
    assertEquals(5_000, c.dbStatementTimeoutMs());
    assertEquals(2_000, c.dbLockTimeoutMs());
    assertEquals(10_000, c.dbIdleTxTimeoutMs());
    assertEquals(256, c.httpMaxInFlight());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), c.bcryptThreads());
    assertEquals(32, c.bcryptQueue());
    var db = c.dbJson(PortalConfig.parseDbUrl(DB));
    assertEquals(1_024, db.getInteger("waitQueueSize"));
    assertEquals(5_000, db.getInteger("statementTimeoutMs"));
    assertEquals(2_000, db.getInteger("lockTimeoutMs"));
    assertEquals(10_000, db.getInteger("idleTxTimeoutMs"));
    assertEquals(500, load(PortalConfig.DB_STATEMENT_TIMEOUT_MS, "500").dbLockTimeoutMs(),
      "the lock timeout's default never exceeds a shorter statement timeout");
  }

  @Test
  @DisplayName("a statement timeout at or past the 10 s request deadline, a lock timeout longer than it, or an out-of-range limit is refused naming itself")
  void badOverloadSettings() {
    refused(PortalConfig.DB_STATEMENT_TIMEOUT_MS, PortalConfig.DB_STATEMENT_TIMEOUT_MS, "10000");
    refused(PortalConfig.DB_STATEMENT_TIMEOUT_MS, PortalConfig.DB_STATEMENT_TIMEOUT_MS, "50");
    refused(PortalConfig.DB_LOCK_TIMEOUT_MS, PortalConfig.DB_STATEMENT_TIMEOUT_MS, "1000",
      PortalConfig.DB_LOCK_TIMEOUT_MS, "3000");
    refused(PortalConfig.DB_IDLE_TX_TIMEOUT_MS, PortalConfig.DB_IDLE_TX_TIMEOUT_MS, "0");
    refused(PortalConfig.DB_WAIT_QUEUE, PortalConfig.DB_WAIT_QUEUE, "-1");
    refused(PortalConfig.HTTP_MAX_IN_FLIGHT, PortalConfig.HTTP_MAX_IN_FLIGHT, "0");
    refused(PortalConfig.BCRYPT_THREADS, PortalConfig.BCRYPT_THREADS, "0");
    refused(PortalConfig.BCRYPT_QUEUE, PortalConfig.BCRYPT_QUEUE, "lots");
    assertEquals(0, load(PortalConfig.DB_WAIT_QUEUE, "0").dbWaitQueue(), "0: no waiting, refuse when all are busy");
  }

  @Test
  @DisplayName("cluster members must be host names or addresses")
  void badMembers() {
    refused(PortalConfig.CLUSTER_MEMBERS, PortalConfig.CLUSTER_MEMBERS, "10.0.0.1;rm -rf");
    refused(PortalConfig.CLUSTER_MEMBERS, PortalConfig.CLUSTER_MEMBERS, " , ");
  }

  @Test
  @DisplayName("an unknown key in the conf file (a typo) stops start-up naming the key")
  void unknownKeyInFile() throws Exception {
    Path file = dir.resolve("typo.properties");
    Files.writeString(file, "PORTAL_HTTP_PORT=9000\nPORTAL_HTTP_PROT=9001\n", StandardCharsets.UTF_8);
    ConfigException e = assertThrows(ConfigException.class,
      () -> PortalConfig.load(Map.of(PortalConfig.CONFIG_FILE, file.toString())));
    assertTrue(e.getMessage().contains("PORTAL_HTTP_PROT"), e.getMessage());
  }

  @Test
  @DisplayName("a bad value in the conf file is refused like the same value in the environment")
  void badValueInFile() throws Exception {
    Path file = dir.resolve("bad.properties");
    Files.writeString(file, "PORTAL_CLUSTER=yes\n", StandardCharsets.UTF_8);
    ConfigException e = assertThrows(ConfigException.class,
      () -> PortalConfig.load(Map.of(PortalConfig.CONFIG_FILE, file.toString())));
    assertTrue(e.getMessage().contains(PortalConfig.CLUSTER), e.getMessage());
  }

  @Test
  @DisplayName("the embedded default generates one JWT secret, keeps it private under the data dir and reuses it")
  void storedSecret() throws Exception {
    String first = PortalNode.storedSecret(dir.resolve("data"));
    assertTrue(first.getBytes(StandardCharsets.UTF_8).length >= 32);
    assertEquals(first, PortalNode.storedSecret(dir.resolve("data")), "tokens survive a restart");
    Path file = dir.resolve("data").resolve("jwt-secret");
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
    Files.writeString(file, "too-short");
    String replaced = PortalNode.storedSecret(dir.resolve("data"));
    assertTrue(replaced.length() >= 32, "a damaged secret is replaced, never used");
  }
}
