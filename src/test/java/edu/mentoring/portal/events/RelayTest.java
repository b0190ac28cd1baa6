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

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("At least once: an event committed is delivered whatever step of its way was cut, once, in id order")
class RelayTest {

  @Test
  @DisplayName("a node that commits an event but never tells the sequencer loses nothing: the sweep numbers and delivers it")
  void unsignalledEventIsSwept() {
    try (TestDatabase db = TestDatabase.create();
         TestPortal node = TestPortal.startOn(db, Map.of(), new JsonObject().put(Outbox.CONFIG_SIGNAL, false))) {
      School school = School.build(node.api());
      try (BridgeClient client = BridgeClient.connect(node.node().vertx(), node.port())) {
        String room = Rooms.student(school.studentA.id());
        assertTrue(client.registerAndAwait(room, school.studentA.token(), Duration.ofSeconds(5)));
        long scheduleId = create(node.api(), school, "Swept", 3);
        List<JsonObject> events = client.drainEvents(Duration.ofSeconds(4));
        assertEquals(1, events.stream().filter(e -> e.getJsonObject("target").getLong("id") == scheduleId).count(),
          "delivered exactly once: " + events);
      }
    }
  }

  @Test
  @DisplayName("a sequencer that numbers events and dies before publishing them: the next one publishes them, each socket gets them once")
  void republishedByTheNextSequencer() {
    try (TestDatabase db = TestDatabase.create()) {
      // A starts first, so it is the sequencer; its publish step is cut
      TestPortal nodeA = TestPortal.startOn(db, Map.of(), new JsonObject().put(EventSequencer.CONFIG_PUBLISH, false));
      School school = School.build(nodeA.api());
      try (TestPortal nodeB = TestPortal.startOn(db, Map.of());
           BridgeClient client = BridgeClient.connect(nodeB.node().vertx(), nodeB.port())) {
        String room = Rooms.student(school.studentA.id());
        assertTrue(client.registerAndAwait(room, school.studentA.token(), Duration.ofSeconds(5)));
        long first = create(nodeB.api(), school, "Numbered by A", 5);
        long second = create(nodeB.api(), school, "Also numbered by A", 6);
        db.awaitCount("SELECT count(*) FROM activity_feed WHERE id IS NULL", 0);
        assertEquals(List.of(), client.drainEvents(Duration.ofMillis(500)), "A published nothing");
        nodeA.close(); // B's sequencer takes over and publishes what A numbered
        List<JsonObject> events = client.drainEvents(Duration.ofSeconds(4));
        List<Long> targets = events.stream().map(e -> e.getJsonObject("target").getLong("id")).toList();
        assertEquals(List.of(first, second), targets.stream().filter(t -> t == first || t == second).toList(),
          "each once, in id order: " + events);
      } finally {
        nodeA.close();
      }
    }
  }

  @Test
  @DisplayName("a node whose bus lost an event holds the next one back, reads the missing one from the log, and delivers both in order")
  void gapFilledFromTheLog() throws Exception {
    try (TestDatabase db = TestDatabase.create();
         TestPortal node = TestPortal.startOn(db, Map.of())) {
      School school = School.build(node.api());
      try (BridgeClient client = BridgeClient.connect(node.node().vertx(), node.port())) {
        String room = Rooms.student(school.studentA.id());
        assertTrue(client.registerAndAwait(room, school.studentA.token(), Duration.ofSeconds(5)));
        create(node.api(), school, "Before the gap", 7);
        client.drainEvents(Duration.ofMillis(500));
        // an event numbered and never published to this node (as if lost on the way), then a normal one
        long lost;
        try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
          s.execute("INSERT INTO activity_feed (id, event_type, target_type, target_id, data, rooms, created_at,"
            + " stamped_at) SELECT max(id) + 1, 'entry:created', 'entry', 999, '{}', ARRAY['" + room + "'], now(),"
            + " now() FROM activity_feed");
          lost = db.count("SELECT max(id) FROM activity_feed");
        }
        long after = create(node.api(), school, "After the gap", 8);
        List<JsonObject> events = client.drainEvents(Duration.ofSeconds(3));
        assertEquals(2, events.size(), events::toString);
        assertEquals(lost, events.get(0).getLong("id"), "the missing one first");
        assertEquals(after, events.get(1).getJsonObject("target").getLong("id"));
        assertEquals(lost + 1, events.get(1).getLong("id"));
      }
    }
  }

  private static long create(Api api, School school, String title, int days) {
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(days).withMinute(0).withSecond(0).withNano(0);
    Api.Response created = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
      .put("title", title).put("studentId", school.studentA.id())
      .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, created.status(), created::toString);
    return created.json().getLong("id");
  }
}
