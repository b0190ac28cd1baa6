package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.Db;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting of a node, read from the environment over {@code conf/portal.properties} (same keys), validated
 * at once: a bad value stops start-up with a message naming the setting.
 */
public record PortalConfig(
  String httpHost,
  int httpPort,
  String dbUrl,               // null: embedded PostgreSQL under dataDir
  Path dataDir,
  String jwtSecret,           // null on the embedded default: generated once under dataDir
  int jwtTtlMinutes,
  boolean clustered,
  List<String> clusterMembers,
  String clusterName,
  String clusterHost,
  int clusterPort,
  List<String> allowedOrigins,
  boolean demoData,
  String adminEmail,
  String adminPassword,
  int dbPoolSize,
  int bcryptCost,
  int httpInstances,
  int dbWaitQueue,
  int dbStatementTimeoutMs,
  int dbLockTimeoutMs,
  int dbIdleTxTimeoutMs,
  int httpMaxInFlight,
  int bcryptThreads,
  int bcryptQueue,
  // operations (docs/operations.md)
  String logFormat,
  String logLevel,
  int metricsPort,            // 0: no metrics listener of its own
  String metricsToken,        // null: /metrics on the HTTP port is not served
  int drainSpreadMs,
  boolean hsts,
  String selfRegistration,
  int signInMaxFailures,
  int signInMaxFailuresPerAddress,
  int signInLockSeconds,
  int signUpsPerAddressPerHour,
  Path clusterKeystore,        // PKCS#12: this node's certificate and key, and the certificates it trusts
  String clusterKeystorePassword) {

  public static final String HTTP_HOST = "PORTAL_HTTP_HOST";
  public static final String HTTP_PORT = "PORTAL_HTTP_PORT";
  public static final String DB_URL = "PORTAL_DB_URL";
  public static final String DATA_DIR = "PORTAL_DATA_DIR";
  public static final String JWT_SECRET = "PORTAL_JWT_SECRET";
  public static final String JWT_TTL_MINUTES = "PORTAL_JWT_TTL_MINUTES";
  public static final String CLUSTER = "PORTAL_CLUSTER";
  public static final String CLUSTER_MEMBERS = "PORTAL_CLUSTER_MEMBERS";
  public static final String CLUSTER_NAME = "PORTAL_CLUSTER_NAME";
  public static final String CLUSTER_HOST = "PORTAL_CLUSTER_HOST";
  public static final String CLUSTER_PORT = "PORTAL_CLUSTER_PORT";
  public static final String ALLOWED_ORIGINS = "PORTAL_ALLOWED_ORIGINS";
  public static final String DEMO_DATA = "PORTAL_DEMO_DATA";
  public static final String ADMIN_EMAIL = "PORTAL_ADMIN_EMAIL";
  public static final String ADMIN_PASSWORD = "PORTAL_ADMIN_PASSWORD";
  public static final String DB_POOL_SIZE = "PORTAL_DB_POOL_SIZE";
  public static final String BCRYPT_COST = "PORTAL_BCRYPT_COST";
  public static final String HTTP_INSTANCES = "PORTAL_HTTP_INSTANCES";
  public static final String DB_WAIT_QUEUE = "PORTAL_DB_WAIT_QUEUE";
  public static final String DB_STATEMENT_TIMEOUT_MS = "PORTAL_DB_STATEMENT_TIMEOUT_MS";
  public static final String DB_LOCK_TIMEOUT_MS = "PORTAL_DB_LOCK_TIMEOUT_MS";
  public static final String DB_IDLE_TX_TIMEOUT_MS = "PORTAL_DB_IDLE_TX_TIMEOUT_MS";
  public static final String HTTP_MAX_IN_FLIGHT = "PORTAL_HTTP_MAX_IN_FLIGHT";
  public static final String BCRYPT_THREADS = "PORTAL_BCRYPT_THREADS";
  public static final String BCRYPT_QUEUE = "PORTAL_BCRYPT_QUEUE";
  public static final String LOG_FORMAT = "PORTAL_LOG_FORMAT";
  public static final String LOG_LEVEL = "PORTAL_LOG_LEVEL";
  public static final String METRICS_PORT = "PORTAL_METRICS_PORT";
  public static final String METRICS_TOKEN = "PORTAL_METRICS_TOKEN";
  public static final String DRAIN_SPREAD_MS = "PORTAL_DRAIN_SPREAD_MS";
  public static final String HSTS = "PORTAL_HSTS";
  public static final String SELF_REGISTRATION = "PORTAL_SELF_REGISTRATION";
  public static final String SIGN_IN_MAX_FAILURES = "PORTAL_SIGNIN_MAX_FAILURES";
  public static final String SIGN_IN_MAX_FAILURES_PER_ADDRESS = "PORTAL_SIGNIN_MAX_FAILURES_PER_ADDRESS";
  public static final String SIGN_IN_LOCK_SECONDS = "PORTAL_SIGNIN_LOCK_SECONDS";
  public static final String SIGN_UPS_PER_ADDRESS_PER_HOUR = "PORTAL_SIGNUPS_PER_ADDRESS_PER_HOUR";
  /** The event bus between nodes is TLS with client certificates: required when clustered (docs/security.md). */
  public static final String CLUSTER_KEYSTORE = "PORTAL_CLUSTER_KEYSTORE";
  public static final String CLUSTER_KEYSTORE_PASSWORD = "PORTAL_CLUSTER_KEYSTORE_PASSWORD";
  public static final List<String> SELF_REGISTRATION_MODES = List.of("invitation", "open", "off");
  /** Where the properties file is; default {@code conf/portal.properties}. */
  public static final String CONFIG_FILE = "PORTAL_CONFIG_FILE";

  public static final List<String> KEYS = List.of(HTTP_HOST, HTTP_PORT, DB_URL, DATA_DIR, JWT_SECRET, JWT_TTL_MINUTES,
    CLUSTER, CLUSTER_MEMBERS, CLUSTER_NAME, CLUSTER_HOST, CLUSTER_PORT, ALLOWED_ORIGINS, DEMO_DATA, ADMIN_EMAIL,
    ADMIN_PASSWORD, DB_POOL_SIZE, BCRYPT_COST, HTTP_INSTANCES, DB_WAIT_QUEUE, DB_STATEMENT_TIMEOUT_MS,
    DB_LOCK_TIMEOUT_MS, DB_IDLE_TX_TIMEOUT_MS, HTTP_MAX_IN_FLIGHT, BCRYPT_THREADS, BCRYPT_QUEUE,
    LOG_FORMAT, LOG_LEVEL, METRICS_PORT, METRICS_TOKEN, DRAIN_SPREAD_MS,
    HSTS, SELF_REGISTRATION,
    SIGN_IN_MAX_FAILURES, SIGN_IN_MAX_FAILURES_PER_ADDRESS, SIGN_IN_LOCK_SECONDS, SIGN_UPS_PER_ADDRESS_PER_HOUR,
    CLUSTER_KEYSTORE, CLUSTER_KEYSTORE_PASSWORD);

  public boolean embeddedDatabase() {
    return dbUrl == null;
  }

  /** Variables of the admin scripts, benchmarks and tests: not node settings, never warned about. */
  static final List<String> OTHER_TOOLS = List.of("PORTAL_JAVA_OPTS", "PORTAL_URL", "PORTAL_TOKEN",
    "PORTAL_TOKEN_FILE", "PORTAL_PASSWORD", "PORTAL_TEST_DB_URL", CONFIG_FILE);

  /** Environment over the properties file (if it exists) over defaults. */
  public static PortalConfig load(Map<String, String> env) {
    String named = env.get(CONFIG_FILE);
    Path file = Path.of(named != null ? named : "conf/portal.properties");
    if (named != null && !Files.isRegularFile(file)) {
      throw new ConfigException(CONFIG_FILE, "names " + file + ", which does not exist");
    }
    Map<String, String> merged = new HashMap<>(readFile(file));
    env.forEach((k, v) -> {
      if (!k.startsWith("PORTAL_")) return;
      if (KEYS.contains(k)) {
        merged.put(k, v);
      } else if (!OTHER_TOOLS.contains(k)) {
        // a typo would otherwise silently fall back to the default
        org.slf4j.LoggerFactory.getLogger(PortalConfig.class).warn("ignoring unknown setting {}", k);
      }
    });
    return from(merged);
  }

  static Map<String, String> readFile(Path file) {
    Map<String, String> values = new HashMap<>();
    if (!Files.isRegularFile(file)) return values;
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(file.toString(), "cannot be read: " + e.getMessage());
    }
    for (String name : props.stringPropertyNames()) {
      if (!KEYS.contains(name)) throw new ConfigException(name, "unknown setting in " + file);
      values.put(name, props.getProperty(name).trim());
    }
    return values;
  }

  /** Builds and validates a config from plain key/values (blank values count as absent). */
  public static PortalConfig from(Map<String, String> raw) {
    Map<String, String> v = new HashMap<>();
    raw.forEach((k, val) -> {
      if (val != null && !val.isBlank()) v.put(k, val.trim());
    });
    String dbUrl = v.get(DB_URL);
    if (dbUrl != null) parseDbUrl(dbUrl);
    String secret = v.get(JWT_SECRET);
    if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new ConfigException(JWT_SECRET, "must be at least 32 bytes");
    }
    if (secret == null && dbUrl != null) {
      throw new ConfigException(JWT_SECRET, "is required with " + DB_URL + " (every node must share it)");
    }
    boolean clustered = bool(v, CLUSTER, false);
    List<String> members = Arrays.stream(v.getOrDefault(CLUSTER_MEMBERS, "127.0.0.1").split(","))
      .map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String m : members) {
      if (!m.matches("[A-Za-z0-9.\\-:\\[\\]]+")) throw new ConfigException(CLUSTER_MEMBERS, "bad host '" + m + "'");
    }
    if (members.isEmpty()) throw new ConfigException(CLUSTER_MEMBERS, "must name at least one host");
    List<String> origins = Arrays.stream(v.getOrDefault(ALLOWED_ORIGINS, "").split(","))
      .map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String o : origins) {
      if (!o.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+")) {
        throw new ConfigException(ALLOWED_ORIGINS, "'" + o + "' is not an origin like https://portal.school.example");
      }
    }
    String adminEmail = v.get(ADMIN_EMAIL);
    String adminPassword = v.get(ADMIN_PASSWORD);
    if ((adminEmail == null) != (adminPassword == null)) {
      throw new ConfigException(adminEmail == null ? ADMIN_EMAIL : ADMIN_PASSWORD,
        "must be set together with " + (adminEmail == null ? ADMIN_PASSWORD : ADMIN_EMAIL));
    }
    if (adminEmail != null && !adminEmail.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
      throw new ConfigException(ADMIN_EMAIL, "must be an email address");
    }
    if (adminPassword != null && adminPassword.length() < 8) {
      throw new ConfigException(ADMIN_PASSWORD, "must be at least 8 characters");
    }
    // the server must give up on a statement before the caller gives up on the request (the bus deadline)
    int statementTimeout = integer(v, DB_STATEMENT_TIMEOUT_MS, Db.DEFAULT_STATEMENT_TIMEOUT_MS, 100,
      (int) Bus.DEFAULT_TIMEOUT_MS - 1_000);
    int lockTimeout = integer(v, DB_LOCK_TIMEOUT_MS, Math.min(Db.DEFAULT_LOCK_TIMEOUT_MS, statementTimeout), 10,
      600_000);
    if (lockTimeout > statementTimeout) {
      throw new ConfigException(DB_LOCK_TIMEOUT_MS, "must not exceed " + DB_STATEMENT_TIMEOUT_MS + " ("
        + statementTimeout + "): a lock wait is part of a statement");
    }
    String selfRegistration = v.getOrDefault(SELF_REGISTRATION, "invitation").toLowerCase();
    if (!SELF_REGISTRATION_MODES.contains(selfRegistration)) {
      throw new ConfigException(SELF_REGISTRATION, "must be one of " + String.join(", ", SELF_REGISTRATION_MODES));
    }
    // any host reaching the cluster ports could otherwise send commands as anyone and publish into any room
    Path keystore = v.containsKey(CLUSTER_KEYSTORE) ? Path.of(v.get(CLUSTER_KEYSTORE)).toAbsolutePath().normalize() : null;
    if (clustered && keystore == null) {
      throw new ConfigException(CLUSTER_KEYSTORE, "is required with " + CLUSTER + "=true: nodes talk over TLS with"
        + " client certificates (scripts/cluster-keystore makes one)");
    }
    if (keystore != null && !Files.isReadable(keystore)) {
      throw new ConfigException(CLUSTER_KEYSTORE, "names " + keystore + ", which cannot be read");
    }
    if (keystore != null && !v.containsKey(CLUSTER_KEYSTORE_PASSWORD)) {
      throw new ConfigException(CLUSTER_KEYSTORE_PASSWORD, "must be set together with " + CLUSTER_KEYSTORE);
    }
    int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
    String logFormat = v.getOrDefault(LOG_FORMAT, "json").toLowerCase(java.util.Locale.ROOT);
    if (!logFormat.equals("json") && !logFormat.equals("text")) {
      throw new ConfigException(LOG_FORMAT, "must be json or text, got '" + logFormat + "'");
    }
    String logLevel = v.getOrDefault(LOG_LEVEL, "info").toLowerCase(java.util.Locale.ROOT);
    if (!List.of("error", "warn", "info", "debug", "trace").contains(logLevel)) {
      throw new ConfigException(LOG_LEVEL, "must be error, warn, info, debug or trace, got '" + logLevel + "'");
    }
    String metricsToken = v.get(METRICS_TOKEN);
    if (metricsToken != null && metricsToken.getBytes(StandardCharsets.UTF_8).length < 16) {
      throw new ConfigException(METRICS_TOKEN, "must be at least 16 bytes");
    }
    return new PortalConfig(
      v.getOrDefault(HTTP_HOST, "0.0.0.0"),
      integer(v, HTTP_PORT, 8080, 0, 65535),
      dbUrl,
      Path.of(v.getOrDefault(DATA_DIR, "./data")).toAbsolutePath().normalize(),
      secret,
      integer(v, JWT_TTL_MINUTES, 60, 1, 7 * 24 * 60),
      clustered,
      members,
      v.getOrDefault(CLUSTER_NAME, "mentoring-portal"),
      v.getOrDefault(CLUSTER_HOST, members.stream().allMatch(PortalConfig::isLoopback) ? "127.0.0.1" : null),
      integer(v, CLUSTER_PORT, 5701, 1, 65535),
      origins,
      bool(v, DEMO_DATA, dbUrl == null),
      adminEmail,
      adminPassword,
      integer(v, DB_POOL_SIZE, Db.DEFAULT_POOL_SIZE, 1, 200),
      integer(v, BCRYPT_COST, 10, 4, 16),
      integer(v, HTTP_INSTANCES, cores, 1, 64),
      integer(v, DB_WAIT_QUEUE, Db.DEFAULT_WAIT_QUEUE_SIZE, 0, 100_000),
      statementTimeout,
      lockTimeout,
      integer(v, DB_IDLE_TX_TIMEOUT_MS, Db.DEFAULT_IDLE_TX_TIMEOUT_MS, 100, 3_600_000),
      integer(v, HTTP_MAX_IN_FLIGHT, 256, 1, 100_000),
      // bcrypt is all CPU: half the cores at most, so a sign-in flood leaves the rest to the API
      integer(v, BCRYPT_THREADS, Math.max(1, cores / 2), 1, 64),
      integer(v, BCRYPT_QUEUE, 32, 0, 10_000),
      logFormat,
      logLevel,
      integer(v, METRICS_PORT, 0, 0, 65535),
      metricsToken,
      // sockets told to reconnect elsewhere over this long: the other nodes are not stormed, the drain stays short
      integer(v, DRAIN_SPREAD_MS, 2_000, 0, 30_000),
      bool(v, HSTS, false),
      selfRegistration,
      integer(v, SIGN_IN_MAX_FAILURES, 5, 1, 1_000),
      // one school's NAT may hide many honest users behind one address: far more than one account's allowance
      integer(v, SIGN_IN_MAX_FAILURES_PER_ADDRESS, 50, 1, 1_000_000),
      integer(v, SIGN_IN_LOCK_SECONDS, 900, 1, 86_400),
      integer(v, SIGN_UPS_PER_ADDRESS_PER_HOUR, 30, 1, 1_000_000),
      keystore,
      v.get(CLUSTER_KEYSTORE_PASSWORD));
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  private static int integer(Map<String, String> v, String key, int dflt, int min, int max) {
    String s = v.get(key);
    if (s == null) return dflt;
    try {
      int n = Integer.parseInt(s);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new ConfigException(key, "must be an integer from " + min + " to " + max + ", got '" + s + "'");
  }

  private static boolean bool(Map<String, String> v, String key, boolean dflt) {
    String s = v.get(key);
    if (s == null) return dflt;
    if (s.equalsIgnoreCase("true")) return true;
    if (s.equalsIgnoreCase("false")) return false;
    throw new ConfigException(key, "must be true or false, got '" + s + "'");
  }

  /** {@code postgresql://user:pass@host:port/db}; anything else is refused here, not at first query. */
  public static PgConnectOptions parseDbUrl(String url) {
    try {
      URI uri = URI.create(url);
      if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
        throw new ConfigException(DB_URL, "must look like postgresql://user:pass@host:5432/db");
      }
      if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
        throw new ConfigException(DB_URL, "must name a host and a database: postgresql://user:pass@host:5432/db");
      }
      return PgConnectOptions.fromUri(url.replaceFirst("^postgres:", "postgresql:"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(DB_URL, "is not a valid URL");
    }
  }

  /** The database part of the verticles' config, with the pool's other settings at their defaults (tests). */
  public static JsonObject dbJson(PgConnectOptions o, int poolSize) {
    return new JsonObject()
      .put("host", o.getHost()).put("port", o.getPort()).put("database", o.getDatabase())
      .put("user", o.getUser()).put("password", o.getPassword() == null ? "" : o.getPassword())
      .put(Db.POOL_SIZE, poolSize);
  }

  /** The database part of the verticles' config: where, and this node's pool and session settings (Db). */
  public JsonObject dbJson(PgConnectOptions o) {
    return dbJson(o, dbPoolSize)
      .put(Db.WAIT_QUEUE_SIZE, dbWaitQueue)
      .put(Db.STATEMENT_TIMEOUT_MS, dbStatementTimeoutMs)
      .put(Db.LOCK_TIMEOUT_MS, dbLockTimeoutMs)
      .put(Db.IDLE_TX_TIMEOUT_MS, dbIdleTxTimeoutMs);
  }

  public JsonArray allowedOriginsJson() {
    return new JsonArray(allowedOrigins);
  }
}
