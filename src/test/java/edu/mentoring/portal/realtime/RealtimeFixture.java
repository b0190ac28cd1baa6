package edu.mentoring.portal.realtime;

import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared steps of the real-time tests. */
final class RealtimeFixture {
  private RealtimeFixture() {
  }

  /** Polls until the node's hub has {@code n} sockets in the room (registration is asynchronous). */
  static void awaitMembers(TestPortal portal, String room, int n) {
    for (int i = 0; i < 250 && portal.node().rooms().roomMembers(room) != n; i++) {
      sleep(20);
    }
    assertEquals(n, portal.node().rooms().roomMembers(room), "sockets in " + room);
  }

  /** Publishes a message to rooms exactly as the Outbox does after a commit. */
  static void publish(TestPortal portal, JsonObject message, String... rooms) {
    portal.node().vertx().eventBus().publish(RealtimeAddresses.DELIVER,
      new JsonObject().put("rooms", new JsonArray(java.util.List.of((Object[]) rooms))).put("message", message));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
