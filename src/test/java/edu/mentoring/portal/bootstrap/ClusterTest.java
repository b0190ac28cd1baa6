package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Cluster: two nodes on one database form one event bus")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  private static TestPortal nodeA;
  private static TestPortal nodeB;

  @BeforeAll
  static void start() {
    // a cluster of our own: a unique name, and a port range other test runs on this machine are unlikely to use
    String port = Integer.toString(20_000 + 20 * ThreadLocalRandom.current().nextInt(500));
    Map<String, String> cluster = Map.of(
      PortalConfig.CLUSTER, "true",
      PortalConfig.CLUSTER_MEMBERS, "127.0.0.1",
      PortalConfig.CLUSTER_NAME, "cluster-test-" + UUID.randomUUID(),
      PortalConfig.CLUSTER_PORT, port);
    nodeA = TestPortal.start(cluster);
    try {
      nodeB = TestPortal.startOn(nodeA.database(), cluster);
    } catch (RuntimeException e) {
      nodeA.close();
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    if (nodeB != null) nodeB.close();
    if (nodeA != null) nodeA.close();
  }

  private static Vertx a() {
    return nodeA.node().vertx();
  }

  private static Vertx b() {
    return nodeB.node().vertx();
  }

  @Test
  @DisplayName("a message published on node A reaches a consumer on node B")
  void publishCrossesNodes() throws Exception {
    String address = "test.cluster.publish." + UUID.randomUUID();
    CompletableFuture<JsonObject> received = new CompletableFuture<>();
    MessageConsumer<JsonObject> consumer = b().eventBus().consumer(address, m -> received.complete(m.body()));
    consumer.completion().await();
    try {
      a().eventBus().publish(address, new JsonObject().put("hello", "from A"));
      assertEquals("from A", received.get(10, TimeUnit.SECONDS).getString("hello"));
    } finally {
      consumer.unregister().await();
    }
  }

  @Test
  @DisplayName("a request sent on node A to an address served only on node B gets B's reply")
  void requestReplyAcrossNodes() {
    String address = "test.cluster.request." + UUID.randomUUID();
    MessageConsumer<JsonObject> consumer = b().eventBus().consumer(address,
      m -> m.reply(new JsonObject().put("answeredBy", "B").put("echo", m.body().getInteger("n"))));
    consumer.completion().await();
    try {
      JsonObject reply = a().eventBus().<JsonObject>request(address, new JsonObject().put("n", 42)).await().body();
      assertEquals("B", reply.getString("answeredBy"));
      assertEquals(42, reply.getInteger("echo"));
    } finally {
      consumer.unregister().await();
    }
  }

  @Test
  @DisplayName("/health on each node reports the cluster enabled with 2 members; /health/ready says it has joined")
  void healthShowsCluster() {
    for (TestPortal node : new TestPortal[]{nodeA, nodeB}) {
      JsonObject[] last = new JsonObject[1];
      waitFor(() -> {
        Api.Response r = node.api().get("/health", null);
        last[0] = r.json();
        return r.status() == 200 && last[0].getJsonObject("cluster").getInteger("members", 0) == 2;
      }, Duration.ofSeconds(10));
      assertEquals("UP", last[0].getString("status"));
      assertEquals(true, last[0].getJsonObject("cluster").getBoolean("enabled"), last[0]::encode);
      assertEquals(2, last[0].getJsonObject("cluster").getInteger("members"), last[0]::encode);
      Api.Response ready = node.api().get("/health/ready", null);
      assertEquals(200, ready.status(), ready::toString);
      assertEquals(true, ready.json().getJsonObject("cluster").getBoolean("joined"), ready::toString);
    }
  }

  @Test
  @DisplayName("a registration over HTTP on node A reaches an admin's bridge socket on node B as student:registered")
  void eventReachesOtherNodesSocket() {
    Api apiA = nodeA.api();
    Api apiB = nodeB.api();
    String adminToken = apiB.login(TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    String room = Rooms.role("admin");
    try (BridgeClient admin = BridgeClient.connect(b(), nodeB.port())) {
      admin.register(room, adminToken);
      waitFor(() -> nodeB.node().rooms().roomMembers(room) == 1, Duration.ofSeconds(5));

      Api.Response reg = apiA.post("/api/auth/register", null, new JsonObject()
        .put("email", "cluster-" + UUID.randomUUID() + "@school.test").put("password", "password-123")
        .put("name", "Clustered Student"));
      assertEquals(201, reg.status(), reg::toString);
      long studentId = reg.json().getJsonObject("user").getLong("id");

      JsonObject event = admin.await(f -> "rec".equals(f.getString("type")) && room.equals(f.getString("address"))
        && EventTypes.STUDENT_REGISTERED.equals(f.getJsonObject("body").getString("type")), Duration.ofSeconds(10));
      assertNotNull(event, "no student:registered on node B's socket");
      JsonObject body = event.getJsonObject("body");
      assertEquals(studentId, body.getJsonObject("target").getLong("id"));
      assertTrue(body.getLong("id") > 0);
    }
  }

  @Test
  @DisplayName("an admin's socket on ops:cluster hears every node's cluster:node report; a student may not join it")
  void clusterPanelFeed() {
    Api apiA = nodeA.api();
    String adminToken = apiA.login(TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    Api.Response reg = apiA.post("/api/auth/register", null, new JsonObject()
      .put("email", "panel-" + UUID.randomUUID() + "@school.test").put("password", "password-123")
      .put("name", "Not An Admin"));
    assertEquals(201, reg.status(), reg::toString);
    try (BridgeClient admin = BridgeClient.connect(a(), nodeA.port());
         BridgeClient student = BridgeClient.connect(a(), nodeA.port())) {
      assertTrue(admin.registerAndAwait(Rooms.CLUSTER, adminToken, Duration.ofSeconds(5)));
      assertTrue(!student.registerAndAwait(Rooms.CLUSTER, reg.json().getString("token"), Duration.ofSeconds(5)),
        "only admins see the cluster");
      java.util.Set<Integer> ports = new java.util.HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (ports.size() < 2 && System.nanoTime() < deadline) {
        JsonObject f = admin.awaitMessage(Rooms.CLUSTER, Duration.ofSeconds(3));
        if (f == null) continue;
        JsonObject data = f.getJsonObject("data");
        assertEquals("cluster:node", f.getString("type"));
        assertEquals(2, data.getInteger("members"), data::encode);
        assertTrue(data.getInteger("sockets") >= 0 && data.containsKey("eventLagMs") && data.containsKey("recentErrors"),
          data::encode);
        ports.add(Integer.parseInt(data.getString("http").replaceAll(".*:", "")));
      }
      assertEquals(java.util.Set.of(nodeA.port(), nodeB.port()), ports, "both nodes reported");
    }
  }

  @Test
  @Order(Integer.MAX_VALUE) // last: it stops node B
  @DisplayName("a node that stops leaves the cluster cleanly; the other keeps serving alone")
  void cleanLeave() {
    nodeB.close();
    nodeB = null;
    waitFor(() -> {
      Api.Response r = nodeA.api().get("/health", null);
      return r.status() == 200 && r.json().getJsonObject("cluster").getInteger("members") == 1;
    }, Duration.ofSeconds(10));
    Api.Response reg = nodeA.api().post("/api/auth/register", null, new JsonObject()
      .put("email", "after-leave@school.test").put("password", "password-123").put("name", "Alone"));
    assertEquals(201, reg.status(), reg::toString);
  }

  private static void waitFor(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
