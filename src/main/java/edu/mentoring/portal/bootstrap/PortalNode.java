package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.accounts.AccountStore;
import edu.mentoring.portal.accounts.UserAdmin;
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
import edu.mentoring.portal.operations.ClusterStatus;
import edu.mentoring.portal.operations.MetricsEndpoint;
import edu.mentoring.portal.operations.NodeMetrics;
import edu.mentoring.portal.operations.NodeState;
import edu.mentoring.portal.operations.RequestIds;
import edu.mentoring.portal.tasks.TaskStore;
import edu.mentoring.portal.http.ApiVerticle;
import edu.mentoring.portal.http.HealthProbe;
import edu.mentoring.portal.realtime.RoomBridge;
import edu.mentoring.portal.realtime.RoomHub;
import edu.mentoring.portal.schedules.ScheduleStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One portal node, started in the order the story reads: configuration → preflight (the ports, the data directory,
 * the cluster's address, the database: each must work before anything starts) → database (embedded if no URL) →
 * migrations → Vert.x (clustered if asked, with its metrics) → stores, audit, bridge → start-up admin and demo data
 * → HTTP last. {@link #stop()} is the story backwards; {@link #drain()} (SIGTERM) first takes the node out of
 * traffic. Blocking; call it from a main or test thread, never an event loop.
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
  /** Every other deployment, in start order: stopped in reverse, after HTTP. */
  private final List<String> deployments = new ArrayList<>();
  private int httpPort;
  private final RoomHub rooms = new RoomHub();
  private final NodeState state = new NodeState();
  private NodeMetrics metrics;
  private Preflight.DataDirLock dataDirLock;

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
    preflight();
    database = openDatabase();
    String secret = config.jwtSecret() != null ? config.jwtSecret() : storedSecret(config.dataDir());
    Migrations.migrate(database);
    RequestIds.register(); // before any context of the node's Vert.x exists
    metrics = NodeMetrics.create();
    metrics.bindJvm();
    vertx = buildVertx();
    metrics.attach(vertx);
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
      .put(ConfigKeys.METRICS_TOKEN, config.metricsToken())
      .put(ConfigKeys.METRICS_PORT, config.metricsPort())
      .put(ConfigKeys.HSTS, config.hsts())
      .put(ConfigKeys.SELF_REGISTRATION, config.selfRegistration())
      .put(ConfigKeys.SIGN_IN_MAX_FAILURES, config.signInMaxFailures())
      .put(ConfigKeys.SIGN_IN_MAX_FAILURES_PER_ADDRESS, config.signInMaxFailuresPerAddress())
      .put(ConfigKeys.SIGN_IN_LOCK_SECONDS, config.signInLockSeconds())
      .put(ConfigKeys.SIGN_UPS_PER_ADDRESS_PER_HOUR, config.signUpsPerAddressPerHour())
      .mergeIn(verticleOverrides);
    DeploymentOptions options = new DeploymentOptions().setConfig(verticleConfig);
    deploy(new AuditLog(), options);
    deploy(new AccountStore(), options);
    deploy(new UserAdmin(), options); // knows the deactivated accounts before HTTP opens
    deploy(new InvitationStore(), options);
    deploy(new ScheduleStore(), options);
    deploy(new EntryStore(), options);
    deploy(new TaskStore(), options);
    deploy(new NotificationStore(), options);
    deploy(new IdempotencyStore(), options);
    deploy(new ActivityFeed(), options);
    deploy(new HealthProbe(clusterManager), options);
    // the bridge before the sequencer: events published from now on reach this node's sockets
    deploy(new RoomBridge(rooms), options);
    deploy(new ClusterStatus(rooms, state, clusterManager), options);
    deploy(new EventSequencer(), options);
    deploy(new NotificationFanout(), options);
    deploy(new DashboardMetrics(), options);
    if (config.metricsPort() != 0) deploy(new MetricsEndpoint(), options);
    bindPortalMetrics();
    // the first admin and the demo data before HTTP: a health check that answers must find them there (a bench's
    // sign-in right after /health answered once got 401, the admin not yet written)
    StartupTasks.run(vertx, config);
    // HTTP last: nothing is accepted before everything it talks to is up
    apiDeployment = await(vertx.deployVerticle(() -> new ApiVerticle(rooms, state),
      new DeploymentOptions(options).setInstances(config.httpInstances())));
    LOG.info("portal node up in {} ms ({} transport)", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
      vertx.isNativeTransportEnabled() ? "native" : "NIO");
  }

  private void deploy(Deployable verticle, DeploymentOptions options) {
    deployments.add(await(vertx.deployVerticle(verticle, options)));
  }

  /**
   * What would fail half-way through start-up is checked before anything starts, each with one line naming the
   * setting: the HTTP (and metrics) port free, the data directory not used by another node, the cluster's address
   * this machine's, the database reachable.
   */
  private void preflight() {
    Preflight.httpPort(config);
    Preflight.port(PortalConfig.METRICS_PORT, config.httpHost(), config.metricsPort());
    if (config.metricsPort() != 0 && config.metricsPort() == config.httpPort()) {
      throw new ConfigException(PortalConfig.METRICS_PORT, "must differ from " + PortalConfig.HTTP_PORT);
    }
    // the directory holds the embedded database and the generated JWT secret; with neither it is not used
    if (config.embeddedDatabase() || config.jwtSecret() == null) dataDirLock = Preflight.lockDataDir(config.dataDir());
    Preflight.cluster(config);
    if (!config.embeddedDatabase()) Preflight.database(PortalConfig.parseDbUrl(config.dbUrl()));
  }

  /** The portal's own gauges of this node (the counters are registered where they count: NodeMetrics). */
  private void bindPortalMetrics() {
    MeterRegistry registry = metrics.registry();
    Gauge.builder("portal_bridge_sockets", rooms, RoomHub::socketCount)
      .description("open bridge sockets on this node").register(registry);
    Gauge.builder("portal_bridge_rooms", rooms, RoomHub::roomCount)
      .description("rooms with at least one socket on this node").register(registry);
    FunctionCounter.builder("portal_bridge_deliveries", rooms, RoomHub::deliveries)
      .description("frames written to sockets").register(registry);
    FunctionCounter.builder("portal_bridge_delivered_bytes", rooms,
      RoomHub::deliveredBytes).description("bytes of the frames written to sockets").baseUnit("bytes")
      .register(registry);
    Gauge.builder("portal_node_draining", state, s -> s.draining() ? 1 : 0)
      .description("1 while this node drains (SIGTERM)").register(registry);
  }

  private PgConnectOptions openDatabase() {
    if (!config.embeddedDatabase()) return PortalConfig.parseDbUrl(config.dbUrl());
    embedded = EmbeddedDatabase.start(config.dataDir());
    return embedded.connectOptions(EmbeddedDatabase.DATABASE);
  }

  private Vertx buildVertx() {
    // epoll on Linux (kqueue on macOS) when its jar is on the class path, NIO otherwise: fewer copies and syscalls
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true)
      // HTTP, event bus, pools and JVM into this node's registry (a name of its own: nodes may share a JVM in tests)
      .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        .setRegistryName("portal-" + UUID.randomUUID()));
    MicrometerMetricsFactory measured = new MicrometerMetricsFactory(metrics.registry());
    if (!config.clustered()) return Vertx.builder().with(options).withMetrics(measured).build();
    HazelcastClusterManager manager = ClusterSetup.clusterManager(config);
    clusterManager = manager;
    if (config.clusterHost() != null) options.getEventBusOptions().setHost(config.clusterHost());
    ClusterSetup.secureEventBus(options.getEventBusOptions(), config);
    try {
      return await(Vertx.builder().with(options).withMetrics(measured).withClusterManager(manager).buildClustered());
    } catch (RuntimeException e) {
      throw new ConfigException(PortalConfig.CLUSTER, "cannot join cluster '" + config.clusterName() + "' ("
        + rootMessage(e) + "): check " + PortalConfig.CLUSTER_MEMBERS + ", " + PortalConfig.CLUSTER_HOST + " and "
        + PortalConfig.CLUSTER_PORT);
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c.getMessage() == null ? c.toString() : c.getMessage();
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

  /**
   * SIGTERM: out of traffic first, then {@link #stop()}. Readiness answers 503 at once; new sockets are refused and
   * the open ones closed over {@code PORTAL_DRAIN_SPREAD_MS} (their clients reconnect to other nodes, not all at
   * once); then HTTP stops accepting and lets in-flight requests finish, the stores stop taking bus requests, the
   * pool closes, the node leaves the cluster. Returns the milliseconds it took.
   */
  public long drain() {
    long t0 = System.nanoTime();
    state.startDraining();
    if (vertx != null) {
      LOG.info("draining: readiness is 503; {} socket(s) told to reconnect elsewhere over {} ms",
        rooms.socketCount(), config.drainSpreadMs());
      try {
        await(rooms.drain(vertx, config.drainSpreadMs()));
      } catch (RuntimeException e) {
        LOG.warn("sockets did not all close while draining", e);
      }
    }
    stop();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    LOG.info("drained and stopped in {} ms", ms);
    return ms;
  }

  /**
   * Stop accepting and finish in-flight requests, then the other verticles in reverse start order (each store's
   * consumers go before the pool they share closes), leave the cluster, stop the database.
   */
  public void stop() {
    state.startDraining();
    try {
      if (vertx != null && apiDeployment != null) await(vertx.undeploy(apiDeployment));
    } catch (RuntimeException e) {
      LOG.warn("HTTP did not stop cleanly", e);
    }
    apiDeployment = null;
    for (int i = deployments.size() - 1; i >= 0 && vertx != null; i--) {
      try {
        await(vertx.undeploy(deployments.get(i)));
      } catch (RuntimeException e) {
        LOG.warn("a verticle did not stop cleanly", e);
      }
    }
    deployments.clear();
    try {
      if (vertx != null) await(vertx.close());
    } catch (RuntimeException e) {
      LOG.warn("Vert.x did not close cleanly", e);
    }
    vertx = null;
    if (embedded != null) embedded.close();
    embedded = null;
    if (dataDirLock != null) dataDirLock.close();
    dataDirLock = null;
    if (metrics != null) metrics.close();
  }

  public NodeState state() {
    return state;
  }

  public NodeMetrics metrics() {
    return metrics;
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
    return embedded == null ? null : embedded.displayUrl(EmbeddedDatabase.DATABASE);
  }
}
