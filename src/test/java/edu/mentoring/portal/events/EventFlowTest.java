package edu.mentoring.portal.events;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Event log: outbox → sequenced feed → visible to exactly the right people")
class EventFlowTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  static JsonArray eventsAfter(String token, long after) {
    for (int i = 0; i < 50; i++) {
      Api.Response r = api.get("/api/events?after=" + after, token);
      assertEquals(200, r.status(), r::toString);
      if (!r.items().isEmpty()) return r.items();
      sleep(100);
    }
    return new JsonArray();
  }

  @Test
  @DisplayName("a registration becomes a student:registered event the admin sees, with an increasing id, and the outbox drains")
  void registrationIsAnEvent() {
    JsonArray before = eventsAfter(school.admin.token(), 0);
    long last = before.getJsonObject(before.size() - 1).getLong("id");
    School.Member s = school.register("evented@school.test", "Evented", school.cohortId);
    JsonArray events = eventsAfter(school.admin.token(), last);
    assertEquals(1, events.size(), events::encode);
    JsonObject e = events.getJsonObject(0);
    assertEquals("student:registered", e.getString("type"));
    assertTrue(e.getLong("id") > last);
    assertEquals(s.id(), e.getJsonObject("target").getLong("id"));
    assertTrue(e.getString("occurredAt").endsWith("Z"));
    // the cohort's mentor is told; the other mentor is not
    assertEquals(1, eventsAfter(school.mentorA.token(), last).size());
    assertTrue(api.get("/api/events?after=" + last, school.mentorB.token()).items().isEmpty());
    // notifications are written after the event's push (NotificationFanout): waited for, not raced
    String notified = "SELECT count(*) FROM notifications n JOIN activity_feed f"
      + " ON f.id = n.event_id WHERE f.id = " + e.getLong("id") + " AND n.user_id = " + school.mentorA.id();
    portal.database().awaitCount(notified, 1);
    assertEquals(1, portal.database().count(notified));
  }

  @Test
  @DisplayName("ids in the feed are dense and strictly increasing; /api/events pages with hasMore")
  void idsIncrease() {
    JsonArray all = eventsAfter(school.admin.token(), 0);
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.getJsonObject(i).getLong("id") > all.getJsonObject(i - 1).getLong("id"));
    }
    Api.Response page = api.get("/api/events?after=0&limit=1", school.admin.token());
    assertEquals(1, page.items().size());
    assertTrue(page.json().getBoolean("hasMore"));
    assertFalse(api.get("/api/events?after=999999", school.admin.token()).json().getBoolean("hasMore"));
    assertEquals(400, api.get("/api/events?after=-1", school.admin.token()).status());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
