package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.accounts.AccountStore;
import edu.mentoring.portal.accounts.InvitationStore;
import edu.mentoring.portal.audit.AuditLog;
import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.entries.EntryStore;
import edu.mentoring.portal.events.ActivityFeed;
import edu.mentoring.portal.events.EventSequencer;
import edu.mentoring.portal.idempotency.IdempotencyStore;
import edu.mentoring.portal.metrics.DashboardMetrics;
import edu.mentoring.portal.notifications.NotificationFanout;
import edu.mentoring.portal.notifications.NotificationStore;
import edu.mentoring.portal.tasks.TaskStore;
import edu.mentoring.portal.http.ApiVerticle;
import edu.mentoring.portal.http.HealthProbe;
import edu.mentoring.portal.realtime.RoomBridge;
import edu.mentoring.portal.realtime.RoomHub;
import edu.mentoring.portal.schedules.ScheduleStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * One portal node, started in the order the story reads: configuration → database (embedded if no URL) →
 * migrations → Vert.x (clustered if asked) → stores, audit, bridge, then HTTP last → start-up admin and demo data.
 * {@link #stop()} is the story backwards. Blocking; call it from a main or test thread, never an event loop.
 */
public final class PortalNode {
  private static final Logger LOG = LoggerFactory.getLogger(PortalNode.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final PortalConfig config;
  private final JsonObject verticleOverrides;
  private EmbeddedDatabase embedded;
  private PgConnectOptions database;
  private Vertx vertx;
  private ClusterManager clusterManager;
  private String apiDeployment;
  private int httpPort;
  private final RoomHub rooms = new RoomHub();

  private PortalNode(PortalConfig config, JsonObject verticleOverrides) {
    this.config = config;
    this.verticleOverrides = verticleOverrides;
  }

  public static PortalNode start(PortalConfig config) {
    return start(config, new JsonObject());
  }

  /** {@code verticleOverrides} are merged into every verticle's config: tests use it for fault injection. */
  public static PortalNode start(PortalConfig config, JsonObject verticleOverrides) {
    PortalNode node = new PortalNode(config, verticleOverrides);
    try {
      node.boot();
      return node;
    } catch (RuntimeException e) {
      node.stop();
      throw e;
    }
  }

  private void boot() {
    long t0 = System.nanoTime();
    database = openDatabase();
    String secret = config.jwtSecret() != null ? config.jwtSecret() : storedSecret(config.dataDir());
    Migrations.migrate(database);
    vertx = buildVertx();
    httpPort = config.httpPort() != 0 ? config.httpPort() : freePort();
    JsonObject verticleConfig = new JsonObject()
      .put(ConfigKeys.DB, config.dbJson(database))
      .put(ConfigKeys.HTTP_HOST, config.httpHost())
      .put(ConfigKeys.HTTP_PORT, httpPort)
      .put(ConfigKeys.JWT_SECRET, secret)
      .put(ConfigKeys.JWT_TTL_MINUTES, config.jwtTtlMinutes())
      .put(ConfigKeys.ALLOWED_ORIGINS, config.allowedOriginsJson())
      .put(ConfigKeys.BCRYPT_COST, config.bcryptCost())
      .put(ConfigKeys.BCRYPT_THREADS, config.bcryptThreads())
      .put(ConfigKeys.BCRYPT_QUEUE, config.bcryptQueue())
      .put(ConfigKeys.HTTP_MAX_IN_FLIGHT, config.httpMaxInFlight())
      .put(ConfigKeys.HTTP_INSTANCES, config.httpInstances())
      .put(ConfigKeys.CLUSTERED, config.clustered())
      .put(ConfigKeys.HSTS, config.hsts())
      .put(ConfigKeys.SELF_REGISTRATION, config.selfRegistration())
      .put(ConfigKeys.SIGN_IN_MAX_FAILURES, config.signInMaxFailures())
      .put(ConfigKeys.SIGN_IN_MAX_FAILURES_PER_ADDRESS, config.signInMaxFailuresPerAddress())
      .put(ConfigKeys.SIGN_IN_LOCK_SECONDS, config.signInLockSeconds())
      .put(ConfigKeys.SIGN_UPS_PER_ADDRESS_PER_HOUR, config.signUpsPerAddressPerHour())
      .mergeIn(verticleOverrides);
    DeploymentOptions options = new DeploymentOptions().setConfig(verticleConfig);
    await(vertx.deployVerticle(new AuditLog(), options));
    await(vertx.deployVerticle(new AccountStore(), options));
    await(vertx.deployVerticle(new InvitationStore(), options));
    await(vertx.deployVerticle(new ScheduleStore(), options));
    await(vertx.deployVerticle(new EntryStore(), options));
    await(vertx.deployVerticle(new TaskStore(), options));
    await(vertx.deployVerticle(new NotificationStore(), options));
    await(vertx.deployVerticle(new IdempotencyStore(), options));
    await(vertx.deployVerticle(new ActivityFeed(), options));
    await(vertx.deployVerticle(new HealthProbe(clusterManager), options));
    // the bridge before the sequencer: events published from now on reach this node's sockets
    await(vertx.deployVerticle(new RoomBridge(rooms), options));
    await(vertx.deployVerticle(new EventSequencer(), options));
    await(vertx.deployVerticle(new NotificationFanout(), options));
    await(vertx.deployVerticle(new DashboardMetrics(), options));
    // HTTP last: nothing is accepted before everything it talks to is up
    apiDeployment = await(vertx.deployVerticle(() -> new ApiVerticle(rooms),
      new DeploymentOptions(options).setInstances(config.httpInstances())));
    StartupTasks.run(vertx, config);
    LOG.info("portal node up in {} ms ({} transport)", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
      vertx.isNativeTransportEnabled() ? "native" : "NIO");
  }

  private PgConnectOptions openDatabase() {
    if (!config.embeddedDatabase()) return PortalConfig.parseDbUrl(config.dbUrl());
    embedded = EmbeddedDatabase.start(config.dataDir());
    return embedded.connectOptions(EmbeddedDatabase.DATABASE);
  }

  private Vertx buildVertx() {
    // epoll on Linux (kqueue on macOS) when its jar is on the class path, NIO otherwise: fewer copies and syscalls
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    if (!config.clustered()) return Vertx.vertx(options);
    HazelcastClusterManager manager = ClusterSetup.clusterManager(config);
    clusterManager = manager;
    if (config.clusterHost() != null) options.getEventBusOptions().setHost(config.clusterHost());
    ClusterSetup.secureEventBus(options.getEventBusOptions(), config);
    return await(Vertx.builder().with(options).withClusterManager(manager).buildClustered());
  }

  /** The embedded default keeps one generated secret under the data directory, so tokens survive restarts. */
  static String storedSecret(Path dataDir) {
    Path file = dataDir.resolve("jwt-secret");
    try {
      if (Files.isRegularFile(file)) {
        String s = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (s.length() >= 32) return s;
      }
      Files.createDirectories(dataDir);
      byte[] bytes = new byte[48];
      new SecureRandom().nextBytes(bytes);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      Files.writeString(file, secret, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the JWT secret in " + file, e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().orTimeout(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
      .join();
  }

  /** Stop accepting and finish in-flight requests, close sockets, leave the cluster, stop the database. */
  public void stop() {
    try {
      if (vertx != null && apiDeployment != null) await(vertx.undeploy(apiDeployment));
    } catch (RuntimeException e) {
      LOG.warn("HTTP did not stop cleanly", e);
    }
    try {
      if (vertx != null) await(vertx.close());
    } catch (RuntimeException e) {
      LOG.warn("Vert.x did not close cleanly", e);
    }
    vertx = null;
    if (embedded != null) embedded.close();
    embedded = null;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int httpPort() {
    return httpPort;
  }

  public PgConnectOptions database() {
    return database;
  }

  /** Null unless clustered. */
  public ClusterManager clusterManager() {
    return clusterManager;
  }

  public RoomHub rooms() {
    return rooms;
  }

  public String url() {
    String host = config.httpHost().equals("0.0.0.0") ? "localhost" : config.httpHost();
    return "http://" + host + ":" + httpPort + "/";
  }

  public String embeddedDatabaseUrl() {
    return embedded == null ? null : embedded.url(EmbeddedDatabase.DATABASE);
  }
}
