package edu.mentoring.portal.testing;

import edu.mentoring.portal.accounts.Tokens;
import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.bootstrap.PortalNode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole portal node in this JVM, on a fresh database and a random port, with an admin
 * ({@link #ADMIN_EMAIL} / {@link #ADMIN_PASSWORD}) created at start as the Operations settings allow.
 */
public final class TestPortal implements AutoCloseable {
  public static final String ADMIN_EMAIL = "root@school.test";
  public static final String ADMIN_PASSWORD = "root-password-1";
  public static final String SECRET = "test-secret-that-is-long-enough-0123456789";
  /**
   * Fixtures sign students up without a cohort (School.register), all from 127.0.0.1: open sign-up and no per-address
   * cap. Invitation-only sign-up and throttling have their own tests with their own settings.
   */
  public static final Map<String, String> SIGN_UP_FOR_FIXTURES = Map.of(PortalConfig.SELF_REGISTRATION, "open",
    PortalConfig.SIGN_UPS_PER_ADDRESS_PER_HOUR, "1000000");

  private final TestDatabase database;
  private final boolean ownsDatabase;
  private final PortalNode node;

  private TestPortal(TestDatabase database, boolean ownsDatabase, PortalNode node) {
    this.database = database;
    this.ownsDatabase = ownsDatabase;
    this.node = node;
  }

  public static TestPortal start() {
    return start(Map.of());
  }

  public static TestPortal start(Map<String, String> overrides) {
    TestDatabase db = TestDatabase.create();
    try {
      return new TestPortal(db, true, PortalNode.start(PortalConfig.from(settings(db, overrides))));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Another node on the same database (cluster tests). */
  public static TestPortal startOn(TestDatabase db, Map<String, String> overrides) {
    return startOn(db, overrides, new JsonObject());
  }

  /** A node whose verticles get extra config (fault injection, e.g. Outbox.CONFIG_SIGNAL). */
  public static TestPortal startOn(TestDatabase db, Map<String, String> overrides, JsonObject verticleOverrides) {
    return new TestPortal(db, false, PortalNode.start(PortalConfig.from(settings(db, overrides)), verticleOverrides));
  }

  static Map<String, String> settings(TestDatabase db, Map<String, String> overrides) {
    Map<String, String> s = new HashMap<>();
    s.put(PortalConfig.DB_URL, db.url());
    s.put(PortalConfig.HTTP_PORT, "0");
    s.put(PortalConfig.HTTP_HOST, "127.0.0.1");
    s.put(PortalConfig.JWT_SECRET, SECRET);
    s.put(PortalConfig.BCRYPT_COST, "4"); // the slow cost is for production; tests need many sign-ups
    s.put(PortalConfig.HTTP_INSTANCES, "2");
    s.put(PortalConfig.ADMIN_EMAIL, ADMIN_EMAIL);
    s.put(PortalConfig.ADMIN_PASSWORD, ADMIN_PASSWORD);
    s.put(PortalConfig.DEMO_DATA, "false");
    s.putAll(SIGN_UP_FOR_FIXTURES);
    try {
      s.put(PortalConfig.DATA_DIR, Files.createTempDirectory("portal-test").toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    // clustered nodes need the cluster's TLS keystore, as in production
    if ("true".equals(overrides.get(PortalConfig.CLUSTER)) && !overrides.containsKey(PortalConfig.CLUSTER_KEYSTORE)) {
      s.putAll(ClusterKeys.settings());
    }
    s.putAll(overrides);
    return s;
  }

  public PortalNode node() {
    return node;
  }

  public TestDatabase database() {
    return database;
  }

  public int port() {
    return node.httpPort();
  }

  public Api api() {
    return new Api(node.vertx(), port());
  }

  /** A token this node accepts, for a user and role, that expires in {@code seconds} (login gives an hour). */
  public String tokenExpiringIn(long userId, String role, int seconds) {
    JWTAuth jwt = JWTAuth.create(node.vertx(), new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    return jwt.generateToken(new JsonObject().put("sub", Long.toString(userId)).put("role", role),
      new JWTOptions().setIssuer(Tokens.ISSUER).setExpiresInSeconds(seconds));
  }

  @Override
  public void close() {
    node.stop();
    if (ownsDatabase) database.close();
  }

  public static Path tempDir() {
    try {
      return Files.createTempDirectory("portal-test");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
