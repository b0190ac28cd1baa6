package edu.mentoring.portal.events;

import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestDatabase;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Relay: an event committed but never published is delivered later, exactly once")
class RelayTest {

  @Test
  @DisplayName("a node that dies between commit and publish loses nothing: another node relays the event once")
  void relayAfterLostPublish() {
    try (TestDatabase db = TestDatabase.create()) {
      School school;
      long scheduleId;
      // node A commits and stamps events but its publish step is killed
      try (TestPortal nodeA = TestPortal.startOn(db, Map.of(),
        new JsonObject().put(Outbox.CONFIG_PUBLISH, false))) {
        Api api = nodeA.api();
        school = School.build(api);
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withMinute(0).withSecond(0).withNano(0);
        Api.Response created = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
          .put("title", "Relayed").put("studentId", school.studentA.id())
          .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
        assertEquals(201, created.status(), created::toString);
        scheduleId = created.json().getLong("id");
      }
      long eventId = db.count("SELECT id FROM activity_feed WHERE event_type = 'schedule:created' AND target_id = " + scheduleId);
      assertEquals(1, db.count("SELECT count(*) FROM activity_feed WHERE published_at IS NULL AND id = " + eventId),
        "committed and numbered, never published");

      // node B starts; a student's socket is there before the relay runs
      try (TestPortal nodeB = TestPortal.startOn(db, Map.of());
           BridgeClient client = BridgeClient.connect(nodeB.node().vertx(), nodeB.port())) {
        String room = Rooms.student(school.studentA.id());
        client.register(room, school.studentA.token());
        List<JsonObject> frames = client.drain(Duration.ofSeconds(9));
        long copies = frames.stream().filter(f -> "rec".equals(f.getString("type"))
          && f.getJsonObject("body").getLong("id", -1L) == eventId).count();
        assertEquals(1, copies, "delivered exactly once: " + frames);
        assertEquals(0, db.count("SELECT count(*) FROM activity_feed WHERE published_at IS NULL"));
        assertTrue(db.count("SELECT count(*) FROM notifications WHERE event_id = " + eventId) == 1);
      }
    }
  }

  @Test
  @DisplayName("an event is marked published only a second after its node published it, so a node killed meanwhile leaves it to the relay")
  void markedAfterAGrace() {
    try (TestDatabase db = TestDatabase.create();
         TestPortal node = TestPortal.startOn(db, Map.of())) {
      Api api = node.api();
      School school = School.build(api);
      OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(4).withMinute(0).withSecond(0).withNano(0);
      Api.Response created = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
        .put("title", "Marked later").put("studentId", school.studentA.id())
        .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
      assertEquals(201, created.status(), created::toString);
      String event = "event_type = 'schedule:created' AND target_id = " + created.json().getLong("id");
      assertEquals(1, db.count("SELECT count(*) FROM activity_feed WHERE published_at IS NULL AND " + event),
        "published, but not yet marked");
      for (int i = 0; i < 100 && db.count("SELECT count(*) FROM activity_feed WHERE published_at IS NULL AND " + event) == 1; i++) {
        sleep(50);
      }
      assertEquals(1, db.count("SELECT count(*) FROM activity_feed WHERE " + event
        + " AND published_at >= stamped_at + interval '" + EventRelay.MARK_AFTER_MS + " milliseconds'"),
        "marked, no sooner than the grace after it was stamped");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
