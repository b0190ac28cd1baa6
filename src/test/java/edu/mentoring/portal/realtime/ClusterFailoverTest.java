package edu.mentoring.portal.realtime;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestDatabase;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes of one cluster on one database: node A a real child process (so it can be killed with SIGKILL),
 * node B in this JVM. Events caused on A reach sockets on B; killing A mid-stream loses no committed event.
 */
@DisplayName("Cluster: events cross nodes, and a node killed mid-stream loses nothing committed and holds up no request on the survivor")
class ClusterFailoverTest {
  private static final String CLUSTER = "portal-test-" + UUID.randomUUID();
  private static TestDatabase db;
  private static TestPortal nodeB;
  private static Process nodeA;
  private static int portA;
  private static Vertx clientVertx;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create();
    Map<String, String> cluster = Map.of(PortalConfig.CLUSTER, "true", PortalConfig.CLUSTER_NAME, CLUSTER,
      PortalConfig.CLUSTER_MEMBERS, "127.0.0.1");
    nodeB = TestPortal.startOn(db, cluster);
    portA = freePort();
    nodeA = startChild(portA, cluster);
    clientVertx = Vertx.vertx();
    awaitHealthy(portA);
    // both nodes see each other before the test begins
    for (int i = 0; i < 200; i++) {
      JsonObject health = nodeB.api().get("/health", null).json();
      if (health.getJsonObject("cluster").getInteger("members", 0) == 2) break;
      Thread.sleep(100);
    }
    assertEquals(2, nodeB.api().get("/health", null).json().getJsonObject("cluster").getInteger("members"));
  }

  @AfterAll
  static void stop() {
    if (nodeA != null) nodeA.destroyForcibly();
    if (nodeB != null) nodeB.close();
    if (clientVertx != null) clientVertx.close();
    if (db != null) db.close();
  }

  private static Process startChild(int port, Map<String, String> cluster) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-Xmx256m",
      "-cp", System.getProperty("java.class.path"), "edu.mentoring.portal.bootstrap.PortalMain"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
      .redirectOutput(new File("target/cluster-node-a.log"));
    pb.environment().putAll(cluster);
    pb.environment().putAll(edu.mentoring.portal.testing.ClusterKeys.settings()); // the cluster's TLS keystore
    pb.environment().put(PortalConfig.DB_URL, db.url());
    pb.environment().put(PortalConfig.JWT_SECRET, TestPortal.SECRET);
    pb.environment().put(PortalConfig.HTTP_PORT, Integer.toString(port));
    pb.environment().put(PortalConfig.HTTP_HOST, "127.0.0.1");
    pb.environment().put(PortalConfig.DEMO_DATA, "false");
    pb.environment().put(PortalConfig.BCRYPT_COST, "4");
    pb.environment().putAll(TestPortal.SIGN_UP_FOR_FIXTURES); // as TestPortal's nodes: fixtures sign up freely
    pb.environment().put(PortalConfig.DATA_DIR, Files.createTempDirectory("node-a").toString());
    pb.environment().remove(PortalConfig.CONFIG_FILE); // the node must not read the developer's conf/
    return pb.start();
  }

  private static void awaitHealthy(int port) throws InterruptedException {
    Api api = new Api(clientVertx, port);
    for (int i = 0; i < 600; i++) {
      try {
        if (api.get("/health", null).status() == 200) return;
      } catch (Exception e) { // connection refused: not listening yet
        assertTrue(nodeA.isAlive(), "node A died at start; see target/cluster-node-a.log");
      }
      assertTrue(nodeA.isAlive(), "node A died at start; see target/cluster-node-a.log");
      Thread.sleep(100);
    }
    throw new AssertionError("node A did not start; see target/cluster-node-a.log");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  @DisplayName("sessions created on node A reach a socket on node B; after kill -9 of A every committed one is delivered, "
    + "and B's own requests under load meanwhile all succeed, none slower than 1 s")
  void failover() throws Exception {
    Api apiA = new Api(clientVertx, portA);
    Api apiB = nodeB.api();
    School school = School.build(apiB);
    String room = Rooms.student(school.studentA.id());

    BridgeClient onB = BridgeClient.connect(nodeB.node().vertx(), nodeB.port());
    onB.register(room, school.studentA.token());
    BridgeClient onA = BridgeClient.connect(clientVertx, portA);
    onA.register(room, school.studentA.token());
    RealtimeFixture.awaitMembers(nodeB, room, 1);
    Thread.sleep(300); // A's registration is on A's hub; give it the same moment

    // first session on A: arrives on B
    Set<Long> acknowledged = new TreeSet<>();
    acknowledged.add(create(apiA, school, 0));
    JsonObject first = onB.awaitMessage(room, Duration.ofSeconds(10));
    assertNotNull(first, "an event caused on node A reaches a socket on node B");
    assertEquals("schedule:created", first.getString("type"));

    // steady reads and writes on B from before the kill until well after it: B serves its own requests, so none
    // may wait for the dead node (before, half of B's store requests went to A's consumers: 10 s, then 503)
    java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.CompletableFuture<List<String>> loadOnB = java.util.concurrent.CompletableFuture.supplyAsync(
      () -> steadyLoad(apiB, school, loading));
    Thread.sleep(300);

    // a stream of sessions on A; A is killed in the middle of it
    for (int i = 1; i <= 30; i++) {
      if (i == 15) nodeA.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the cluster
      try {
        acknowledged.add(create(apiA, school, i));
      } catch (Exception | AssertionError e) {
        break; // A is gone
      }
    }
    nodeA.waitFor();
    Thread.sleep(3_000); // the survivor keeps serving while the cluster notices the loss
    loading.set(false);
    List<String> problems = loadOnB.get(30, java.util.concurrent.TimeUnit.SECONDS);
    System.out.println("requests on B across the kill of A: " + problems);
    assertTrue(problems.size() == 1 && problems.get(0).startsWith("ok:"), "B's requests during the kill: " + problems);
    long committed = nodeB.database().count("SELECT count(*) FROM schedules WHERE student_id = "
      + school.studentA.id());
    assertTrue(committed >= acknowledged.size());

    // B received everything committed: live, or relayed by B for what A never published
    TreeMap<Long, JsonObject> seenOnB = new TreeMap<>();
    seenOnB.put(first.getLong("id"), first);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (seenOnB.size() < committed && System.nanoTime() < deadline) {
      for (JsonObject f : onB.drain(Duration.ofMillis(500))) {
        if ("rec".equals(f.getString("type"))) seenOnB.put(f.getJsonObject("body").getLong("id"), f.getJsonObject("body"));
      }
    }
    Set<Long> schedulesOnB = new TreeSet<>();
    seenOnB.values().forEach(e -> schedulesOnB.add(e.getJsonObject("target").getLong("id")));
    assertEquals(committed, schedulesOnB.size(), "every committed session reached node B's socket exactly once");
    assertTrue(schedulesOnB.containsAll(acknowledged));

    // the socket that was on A reconnects to B and recovers with /api/events
    for (int i = 0; i < 100 && !onA.isClosed(); i++) Thread.sleep(50);
    assertTrue(onA.isClosed(), "A's sockets dropped with A");
    onA.close();
    try (BridgeClient again = BridgeClient.connect(nodeB.node().vertx(), nodeB.port())) {
      again.register(room, school.studentA.token());
      RealtimeFixture.awaitMembers(nodeB, room, 2);
      JsonObject page = apiB.get("/api/events?after=" + (first.getLong("id") - 1) + "&limit=500",
        school.studentA.token()).json();
      Set<Long> recovered = new TreeSet<>();
      page.getJsonArray("items").forEach(o -> recovered.add(((JsonObject) o).getJsonObject("target").getLong("id")));
      assertEquals(schedulesOnB, recovered, "recovery after reconnect gives the same events");
    }
    onB.close();
    // the published cursor catches up with every numbered event (a sequencer that takes over publishes from it)
    long behind = 1;
    for (int i = 0; i < 100 && behind > 0; i++) {
      behind = nodeB.database().count("SELECT (SELECT COALESCE(max(id), 0) FROM activity_feed)"
        + " - (SELECT position FROM event_cursors WHERE name = 'published')");
      if (behind > 0) Thread.sleep(100);
    }
    assertEquals(0, behind);
  }

  /**
   * Alternating writes (a session on a day of their own) and reads on B until told to stop; returns ["ok: n requests,
   * slowest ms"] or every request that failed or took more than a second.
   */
  private static List<String> steadyLoad(Api api, School school, java.util.concurrent.atomic.AtomicBoolean loading) {
    List<String> problems = new ArrayList<>();
    long slowest = 0;
    int n = 0;
    OffsetDateTime day = OffsetDateTime.now(ZoneOffset.UTC).plusDays(120).withMinute(0).withSecond(0).withNano(0);
    while (loading.get()) {
      long t0 = System.nanoTime();
      Api.Response r;
      String what;
      if (n % 2 == 0) {
        OffsetDateTime start = day.plusHours(n);
        what = "POST /api/schedules";
        r = api.post("/api/schedules", school.mentorB.token(), new JsonObject()
          .put("title", "On B " + n).put("studentId", school.studentB.id())
          .put("startTime", start.toString()).put("endTime", start.plusMinutes(30).toString()));
      } else {
        what = "GET /api/schedules";
        r = api.get("/api/schedules", school.studentB.token());
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      slowest = Math.max(slowest, ms);
      if (r.status() >= 300 || ms > 1_000) problems.add(what + " → " + r.status() + " in " + ms + " ms");
      n++;
    }
    if (problems.isEmpty()) problems.add("ok: " + n + " requests, slowest " + slowest + " ms");
    return problems;
  }

  private static long create(Api api, School school, int i) {
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(60).withMinute(0).withSecond(0).withNano(0)
      .plusHours(i);
    Api.Response r = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
      .put("title", "Failover " + i).put("studentId", school.studentA.id())
      .put("startTime", start.toString()).put("endTime", start.plusMinutes(30).toString()));
    if (r.status() != 201) throw new AssertionError(r.toString());
    return r.json().getLong("id");
  }
}
