package edu.mentoring.portal.notifications;

import edu.mentoring.portal.realtime.Rooms;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What two tabs of the same user hear on {@code user:{id}}: both get the server's count, so both bells agree. */
@DisplayName("Notifications in real time: every tab of a user gets the server's unread count")
class NotificationPushTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final AtomicInteger DAYS = new AtomicInteger();

  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  /** Two tabs of the student, each registered on their user room. */
  static List<BridgeClient> twoTabs(School.Member student) {
    String room = Rooms.user(student.id());
    BridgeClient tab1 = BridgeClient.connect(portal.node().vertx(), portal.port()).register(room, student.token());
    BridgeClient tab2 = BridgeClient.connect(portal.node().vertx(), portal.port()).register(room, student.token());
    NotificationFixtures.eventually(() -> portal.node().rooms().roomMembers(room), n -> n == 2);
    return List.of(tab1, tab2);
  }

  static JsonObject awaitType(BridgeClient tab, String room, String type) {
    JsonObject frame = tab.await(f -> "rec".equals(f.getString("type")) && room.equals(f.getString("address"))
      && type.equals(f.getJsonObject("body").getString("type")), WAIT);
    assertNotNull(frame, type + " never arrived on " + room);
    return frame.getJsonObject("body");
  }

  @Test
  @DisplayName("a new session reaches both tabs as notification:created with the notification and the unread count")
  void createdReachesEveryTab() {
    School.Member s = school.newStudentOf(school.mentorA);
    String room = Rooms.user(s.id());
    List<BridgeClient> tabs = twoTabs(s);
    try {
      JsonObject session = NotificationFixtures.session(api, school.mentorA, s, DAYS.incrementAndGet());
      for (BridgeClient tab : tabs) {
        JsonObject msg = awaitType(tab, room, "notification:created");
        assertNull(msg.getValue("id"), "a notification message is not a domain event and carries no activity id");
        assertTrue(msg.getString("occurredAt").endsWith("Z"));
        JsonObject data = msg.getJsonObject("data");
        assertEquals(1, data.getLong("unreadCount"));
        JsonObject n = data.getJsonObject("notification");
        assertEquals("schedule:created", n.getString("type"));
        assertEquals("New session: " + session.getString("title"), n.getString("title"));
        assertFalse(n.getBoolean("read"));
        assertNull(n.getValue("userId"));
        // the pushed notification is the one the inbox lists
        JsonObject listed = api.get("/api/notifications", s.token()).items().getJsonObject(0);
        assertEquals(listed, n);
      }

      NotificationFixtures.session(api, school.mentorA, s, DAYS.incrementAndGet());
      for (BridgeClient tab : tabs) {
        assertEquals(2, awaitType(tab, room, "notification:created").getJsonObject("data").getLong("unreadCount"));
      }
    } finally {
      tabs.forEach(BridgeClient::close);
    }
  }

  @Test
  @DisplayName("read, read-all, delete and clear in one tab push notifications:changed with the same new count to both")
  void changesReachEveryTab() {
    School.Member s = school.newStudentOf(school.mentorA);
    String room = Rooms.user(s.id());
    List<BridgeClient> tabs = twoTabs(s);
    try {
      for (int i = 0; i < 3; i++) NotificationFixtures.session(api, school.mentorA, s, DAYS.incrementAndGet());
      for (BridgeClient tab : tabs) {
        NotificationFixtures.eventually(() -> awaitType(tab, room, "notification:created"),
          m -> m.getJsonObject("data").getLong("unreadCount") == 3);
      }
      List<Long> ids = api.get("/api/notifications", s.token()).items().stream()
        .map(o -> ((JsonObject) o).getLong("id")).toList();

      long count = api.post("/api/notifications/" + ids.get(0) + "/read", s.token(), null).json().getLong("unreadCount");
      assertEquals(2, count);
      assertBothTabsHear(tabs, room, 2);

      assertEquals(204, api.delete("/api/notifications/" + ids.get(1), s.token()).status());
      assertBothTabsHear(tabs, room, 1);

      Api.Response all = api.post("/api/notifications/read-all", s.token(), null);
      assertEquals(0, all.json().getLong("unreadCount"));
      assertBothTabsHear(tabs, room, 0);

      assertEquals(204, api.delete("/api/notifications", s.token()).status());
      assertBothTabsHear(tabs, room, 0);
      // and what the bells show is what the server says
      assertEquals(0, api.get("/api/notifications", s.token()).json().getLong("unreadCount"));
    } finally {
      tabs.forEach(BridgeClient::close);
    }
  }

  @Test
  @DisplayName("another user's change pushes nothing to my tabs")
  void othersChangesStayTheirs() {
    School.Member s = school.newStudentOf(school.mentorA);
    String room = Rooms.user(s.id());
    List<BridgeClient> tabs = twoTabs(s);
    try {
      assertEquals(0, api.post("/api/notifications/read-all", school.studentB.token(), null).json()
        .getLong("unreadCount"));
      api.delete("/api/notifications", school.studentB.token());
      for (BridgeClient tab : tabs) {
        assertNull(tab.awaitMessage(room, Duration.ofMillis(500)));
      }
    } finally {
      tabs.forEach(BridgeClient::close);
    }
  }

  private static void assertBothTabsHear(List<BridgeClient> tabs, String room, long unreadCount) {
    for (BridgeClient tab : tabs) {
      JsonObject msg = awaitType(tab, room, "notifications:changed");
      assertNull(msg.getValue("id"));
      assertEquals(new JsonObject().put("unreadCount", unreadCount), msg.getJsonObject("data"));
    }
  }
}
