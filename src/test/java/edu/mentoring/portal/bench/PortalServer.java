package edu.mentoring.portal.bench;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A portal node as its own JVM ({@code PortalMain}, as {@code scripts/start} runs it) on the given database, with an
 * admin to build the school and bcrypt cost 4 so that thousands of sign-ups are quick. Measured only from outside:
 * HTTP, the bridge, {@code /health}, /proc and jcmd.
 */
final class PortalServer implements AutoCloseable {
  static final String ADMIN_EMAIL = "bench-admin@school.test";
  static final String ADMIN_PASSWORD = "bench-admin-password";
  static final String SECRET = "bench-secret-bench-secret-bench-secret-0123";

  /**
   * {@code -Xms}: the heap probe's full GCs would otherwise shrink the heap to ~50 MB (a running node never does
   * that), and a heap that small runs a concurrent cycle with a remark pause every few seconds.
   */
  static final List<String> JVM_OPTIONS = List.of("--add-modules", "java.se",
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-Xms256m", "-Xmx1g", "-XX:+UseG1GC");

  private final ChildProcess process;
  private final int port;
  private final List<String> jvmOptions;
  private final Map<String, String> env;
  private final Path dataDir;

  private PortalServer(ChildProcess process, int port, List<String> jvmOptions, Map<String, String> env,
                       Path dataDir) {
    this.process = process;
    this.port = port;
    this.jvmOptions = jvmOptions;
    this.env = env;
    this.dataDir = dataDir;
  }

  /**
   * Starts a node and waits until {@code /health} answers UP (and, clustered, sees {@code clusterSize} members).
   * {@code settings}: extra PORTAL_* variables (cluster, pool size, ...), which win over the defaults here.
   */
  static PortalServer start(BenchRun run, String name, TestDatabase db, Map<String, String> settings, int clusterSize)
    throws IOException, InterruptedException {
    int port = BenchRun.freePort();
    Path dataDir = Files.createTempDirectory("bench-node");
    Path emptyConfig = Files.writeString(dataDir.resolve("portal.properties"),
      "# bench: defaults and environment only\n");
    Map<String, String> env = new LinkedHashMap<>();
    env.put(PortalConfig.DB_URL, db.url());
    env.put(PortalConfig.JWT_SECRET, SECRET);
    env.put(PortalConfig.JWT_TTL_MINUTES, "480"); // longer than the longest run: tokens are taken once at set-up
    env.put(PortalConfig.HTTP_PORT, Integer.toString(port));
    env.put(PortalConfig.HTTP_HOST, "127.0.0.1");
    env.put(PortalConfig.DEMO_DATA, "false");
    env.put(PortalConfig.BCRYPT_COST, "4");
    // the whole bench school signs up from this one address within minutes
    env.put(PortalConfig.SIGN_UPS_PER_ADDRESS_PER_HOUR, "1000000");
    env.put(PortalConfig.ADMIN_EMAIL, ADMIN_EMAIL);
    env.put(PortalConfig.ADMIN_PASSWORD, ADMIN_PASSWORD);
    env.put(PortalConfig.DATA_DIR, dataDir.toString());
    env.put(PortalConfig.CONFIG_FILE, emptyConfig.toString()); // never the developer's conf/portal.properties
    env.putAll(run.serverEnv());
    env.putAll(settings);
    // clustered nodes need the cluster's TLS keystore, as in production
    if ("true".equals(env.get(PortalConfig.CLUSTER)) && !env.containsKey(PortalConfig.CLUSTER_KEYSTORE)) {
      env.putAll(edu.mentoring.portal.testing.ClusterKeys.settings());
    }

    List<String> jvm = new ArrayList<>(JVM_OPTIONS);
    jvm.addAll(run.serverJvmOptions());
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildProcess.javaBinary());
    cmd.addAll(jvm);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("edu.mentoring.portal.bootstrap.PortalMain");
    ChildProcess p = ChildProcess.start(name, cmd, env, null, run.logDir());
    PortalServer server = new PortalServer(p, Integer.parseInt(env.get(PortalConfig.HTTP_PORT)), jvm, env,
      dataDir);
    run.closeAtEnd(server);
    server.awaitHealthy(run.vertx(), clusterSize);
    return server;
  }

  private void awaitHealthy(Vertx vertx, int clusterSize) throws InterruptedException {
    try (Http http = new Http(vertx, "127.0.0.1", port, 1)) {
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (!process.alive()) throw new IllegalStateException("portal node died at start; see " + process.log());
        try {
          Http.Reply r = http.get("/health", null).await();
          JsonObject cluster = r.json().getJsonObject("cluster", new JsonObject());
          if (r.status() == 200 && (clusterSize <= 1 || cluster.getInteger("members", 0) >= clusterSize)) return;
        } catch (Exception notYet) { // await() rethrows the connect failure as it is (checked or not)
          // not listening yet
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("portal node not healthy after 120 s; see " + process.log());
  }

  int port() {
    return port;
  }

  /** The name of its database (its PostgreSQL backends' process titles carry it). */
  String database() {
    return env.get(PortalConfig.DB_URL).replaceAll(".*/", "");
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.alive();
  }

  long liveHeap(Path saveTo) throws IOException, InterruptedException {
    return ProcessProbe.liveHeap(pid(), saveTo);
  }

  /** How the node ran (JVM options, its settings but the secrets) and what its log says went wrong. */
  JsonObject describe() {
    JsonObject settings = new JsonObject();
    env.forEach((k, v) -> settings.put(k, k.contains("SECRET") || k.contains("PASSWORD") ? "(set)" : v));
    ChildProcess.Problems problems = process.problems(8);
    return new JsonObject().put("jvmOptions", new JsonArray(new ArrayList<>(jvmOptions))).put("settings", settings)
      .put("log", process.log().toString()).put("logProblems", problems.count())
      .put("logProblemExamples", new JsonArray(new ArrayList<>(problems.examples())));
  }

  @Override
  public void close() {
    process.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: left to the OS
    }
  }
}
