package edu.mentoring.portal.realtime;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("Bridge basics: authenticated register frames")
class BridgeBasicsTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  @Test
  @DisplayName("a user may join their own user room and receives what is pushed there")
  void ownUserRoom() {
    try (BridgeClient c = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      String room = Rooms.user(school.studentA.id());
      c.register(room, school.studentA.token());
      waitForMembers(room, 1);
      portal.node().vertx().eventBus().publish(RealtimeAddresses.DELIVER, new JsonObject()
        .put("rooms", new io.vertx.core.json.JsonArray().add(room))
        .put("message", new JsonObject().put("type", "notifications:changed").put("data", new JsonObject().put("unreadCount", 3))));
      JsonObject msg = c.awaitMessage(room, Duration.ofSeconds(5));
      assertNotNull(msg);
      assertEquals(3, msg.getJsonObject("data").getInteger("unreadCount"));
    }
  }

  @Test
  @DisplayName("another user's room, a register without a token, and a bad token are refused with an err frame")
  void refused() {
    try (BridgeClient c = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      c.register(Rooms.user(school.studentB.id()), school.studentA.token());
      assertNotNull(c.awaitError(Duration.ofSeconds(5)));
      c.register(Rooms.user(school.studentA.id()), null);
      assertNotNull(c.awaitError(Duration.ofSeconds(5)));
      c.register(Rooms.user(school.studentA.id()), school.studentA.token() + "x");
      assertNotNull(c.awaitError(Duration.ofSeconds(5)));
      assertEquals(0, portal.node().rooms().roomMembers(Rooms.user(school.studentB.id())));
      c.sendFrame(new JsonObject().put("type", "send").put("address", "accounts.login").put("body", new JsonObject()));
      JsonObject err = c.awaitError(Duration.ofSeconds(5));
      assertEquals("access_denied", err.getString("body"));
      assertNull(c.awaitMessage(Rooms.user(school.studentB.id()), Duration.ofMillis(300)));
    }
  }

  static void waitForMembers(String room, int n) {
    for (int i = 0; i < 100 && portal.node().rooms().roomMembers(room) < n; i++) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertEquals(n, portal.node().rooms().roomMembers(room));
  }
}
