package edu.mentoring.portal.realtime;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Bridge protection: origins, frame size, slow consumers")
class BridgeProtectionTest {
  private static final String ALLOWED = "https://portal.school.example";
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture(Map.of(PortalConfig.ALLOWED_ORIGINS, ALLOWED));
  private static TestPortal portal;
  private static Api api;
  private static School school;



  private int infoStatus(String origin) {
    WebClient web = WebClient.create(portal.node().vertx());
    var req = web.request(HttpMethod.GET, portal.port(), "127.0.0.1", "/eventbus/info");
    if (origin != null) req.putHeader("Origin", origin);
    return req.send().await().statusCode();
  }

  @Test
  @DisplayName("an unknown Origin gets 403 on the WebSocket upgrade and on the SockJS routes; known ones pass")
  void origins() {
    assertEquals(403, infoStatus("https://evil.example"));
    assertEquals(200, infoStatus(ALLOWED));
    assertEquals(200, infoStatus("http://127.0.0.1:" + portal.port()));
    assertEquals(200, infoStatus(null));
    WebClient web = WebClient.create(portal.node().vertx());
    assertEquals(403, web.request(HttpMethod.POST, portal.port(), "127.0.0.1", "/eventbus/123/abcdef/xhr_send")
      .putHeader("Origin", "https://evil.example").sendBuffer(io.vertx.core.buffer.Buffer.buffer("[\"x\"]"))
      .await().statusCode());
    assertThrows(Exception.class, () -> BridgeClient.connect(portal.node().vertx(), portal.port(), "https://evil.example"));
    try (BridgeClient ok = BridgeClient.connect(portal.node().vertx(), portal.port(), ALLOWED)) {
      ok.register(Rooms.user(school.studentA.id()), school.studentA.token());
      RealtimeFixture.awaitMembers(portal, Rooms.user(school.studentA.id()), 1);
    }
  }

  @Test
  @DisplayName("an oversize frame closes that socket only; the node stays healthy")
  void oversizeFrame() {
    BridgeClient big = BridgeClient.connect(portal.node().vertx(), portal.port());
    big.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(100_000) + "\"}");
    for (int i = 0; i < 100 && !big.isClosed(); i++) RealtimeFixture.sleep(50);
    assertTrue(big.isClosed(), "the oversize socket is closed");
    big.close();
    assertEquals(200, api.get("/health", null).status());
    try (BridgeClient next = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      next.register(Rooms.user(school.studentB.id()), school.studentB.token());
      RealtimeFixture.awaitMembers(portal, Rooms.user(school.studentB.id()), 1);
    }
  }

  @Test
  @DisplayName("a socket that stops pinging is closed after the ping timeout")
  void pingTimeout() {
    BridgeClient quiet = BridgeClient.connect(portal.node().vertx(), portal.port());
    quiet.stopPinging();
    quiet.register(Rooms.user(school.studentA.id()), school.studentA.token());
    long t0 = System.nanoTime();
    for (int i = 0; i < 300 && !quiet.isClosed(); i++) RealtimeFixture.sleep(50);
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    assertTrue(quiet.isClosed(), "closed after the ping timeout");
    assertTrue(seconds >= 9, "not before the 10 s timeout (" + seconds + " s)");
    quiet.close();
  }

  /** Only the test's own messages: the admin room also gets metrics:updated. */
  private static double slowConsumersClosed() {
    var counter = edu.mentoring.portal.operations.NodeMetrics.of(portal.node().vertx()).registry()
      .find("portal_bridge_slow_consumers_closed").counter();
    return counter == null ? 0 : counter.count();
  }

  private static int loads(java.util.List<JsonObject> frames) {
    return (int) frames.stream().filter(f -> "rec".equals(f.getString("type"))
      && "load".equals(f.getJsonObject("body").getString("type"))).count();
  }

  @Test
  @DisplayName("a client that stops reading is cut off while a fast one in the same room keeps up")
  void slowConsumer() {
    String room = Rooms.role("admin");
    try (BridgeClient slow = BridgeClient.connect(portal.node().vertx(), portal.port());
         BridgeClient fast = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      slow.register(room, school.admin.token());
      fast.register(room, school.admin.token());
      RealtimeFixture.awaitMembers(portal, room, 2);
      slow.pause();
      double cutOffBefore = slowConsumersClosed();
      String pad = "y".repeat(60_000);
      int messages = 400; // ~24 MB: more than the kernel's socket buffers plus the 1 MB queue
      int received = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (int i = 0; i < messages; i++) {
        RealtimeFixture.publish(portal, new JsonObject().put("type", "load").put("n", i).put("pad", pad), room);
        // the fast client reads as it goes, like a browser would: never more than ~0.5 MB behind, however loaded
        // the machine (its frames are read by the same event loops that write them)
        while (i % 8 == 7 && received <= i && System.nanoTime() < deadline) {
          received += loads(fast.drain(Duration.ofMillis(20)));
        }
      }
      while (received < messages && System.nanoTime() < deadline) {
        received += loads(fast.drain(Duration.ofMillis(200)));
      }
      assertEquals(messages, received, "the fast client got every message");
      for (int i = 0; i < 100 && portal.node().rooms().roomMembers(room) != 1; i++) RealtimeFixture.sleep(50);
      assertEquals(1, portal.node().rooms().roomMembers(room), "the slow socket was disconnected");
      assertEquals(cutOffBefore + 1, slowConsumersClosed(), "counted once in portal_bridge_slow_consumers_closed");
      long t0 = System.nanoTime();
      RealtimeFixture.publish(portal, new JsonObject().put("type", "after"), room);
      assertNotNull(fast.await(f -> "rec".equals(f.getString("type"))
        && "after".equals(f.getJsonObject("body").getString("type")), Duration.ofSeconds(2)));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 1_000, "the fast client still gets messages promptly (" + ms + " ms)");
      assertEquals(200, api.get("/health", null).status());
    }
  }
}
