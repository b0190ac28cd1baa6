package edu.mentoring.portal.realtime;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One socket (an admin's, who may join every room) listens on a room of every type; each action must reach
 * exactly the rooms the contract lists and no other watched room.
 */
@DisplayName("Routing: each of the eight event types reaches exactly the contract's rooms")
class EventRoutingTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;
  private static BridgeClient watcher;
  private static List<String> watched;
  private static int hour;

  @BeforeAll
  static void start() {
    watched = List.of(Rooms.user(school.studentA.id()), Rooms.user(school.mentorA.id()), Rooms.role("admin"),
      Rooms.role("mentor"), Rooms.role("student"), Rooms.mentor(school.mentorA.id()), Rooms.mentor(school.mentorB.id()),
      Rooms.student(school.studentA.id()), Rooms.student(school.studentB.id()), Rooms.student(school.cohortStudent.id()),
      Rooms.cohort(school.cohortId));
    watcher = BridgeClient.connect(portal.node().vertx(), portal.port());
    for (String room : watched) watcher.register(room, school.admin.token());
    for (String room : watched) RealtimeFixture.awaitMembers(portal, room, 1);
    watcher.drain(Duration.ofMillis(300));
  }

  @AfterAll
  static void stop() {
    watcher.close();
  }

  /** The watched rooms on which a message matching {@code match} arrived within the window. */
  private static Set<String> roomsOf(Predicate<JsonObject> match, Duration window) {
    Set<String> rooms = new TreeSet<>();
    for (JsonObject f : watcher.drain(window)) {
      if ("rec".equals(f.getString("type")) && match.test(f.getJsonObject("body"))) rooms.add(f.getString("address"));
    }
    return rooms;
  }

  private static Predicate<JsonObject> event(String type, long targetId) {
    return b -> type.equals(b.getString("type")) && b.getJsonObject("target") != null
      && b.getJsonObject("target").getLong("id") == targetId;
  }

  private static Set<String> rooms(String... rooms) {
    return new TreeSet<>(List.of(rooms));
  }

  private static OffsetDateTime nextSlot() {
    return OffsetDateTime.now(ZoneOffset.UTC).plusDays(10).withMinute(0).withSecond(0).withNano(0).plusHours(hour++);
  }

  @Test
  @DisplayName("student:registered → the cohort's mentors and role:admin; without a cohort → every mentor and role:admin")
  void studentRegistered() {
    School.Member inCohort = school.register("routed-c@school.test", "Routed C", school.cohortId);
    assertEquals(rooms(Rooms.mentor(school.mentorA.id()), Rooms.role("admin")),
      roomsOf(event("student:registered", inCohort.id()), Duration.ofSeconds(2)));
    School.Member alone = school.register("routed-a@school.test", "Routed A", null);
    assertEquals(rooms(Rooms.mentor(school.mentorA.id()), Rooms.mentor(school.mentorB.id()), Rooms.role("admin")),
      roomsOf(event("student:registered", alone.id()), Duration.ofSeconds(2)));
  }

  @Test
  @DisplayName("entry:created, entry:statusChanged and comment:added → the student's room and their mentor's")
  void entries() {
    Api.Response created = api.post("/api/entries", school.studentA.token(),
      new JsonObject().put("title", "Routing").put("content", "Where do events go?"));
    assertEquals(201, created.status(), created::toString);
    long entryId = created.json().getLong("id");
    Set<String> expected = rooms(Rooms.student(school.studentA.id()), Rooms.mentor(school.mentorA.id()));
    assertEquals(expected, roomsOf(event("entry:created", entryId), Duration.ofSeconds(2)));
    assertEquals(200, api.patch("/api/entries/" + entryId + "/status", school.studentA.token(),
      new JsonObject().put("status", "submitted")).status());
    assertEquals(expected, roomsOf(event("entry:statusChanged", entryId), Duration.ofSeconds(2)));
    Api.Response comment = api.post("/api/entries/" + entryId + "/comments", school.mentorA.token(),
      new JsonObject().put("body", "Good question."));
    assertEquals(201, comment.status(), comment::toString);
    assertEquals(expected, roomsOf(b -> "comment:added".equals(b.getString("type")), Duration.ofSeconds(2)));
  }

  @Test
  @DisplayName("task:assigned → the student's room (or the cohort's) and the mentor's")
  void tasks() {
    Api.Response one = api.post("/api/tasks", school.mentorB.token(),
      new JsonObject().put("studentId", school.studentB.id()).put("title", "Read chapter 3"));
    assertEquals(201, one.status(), one::toString);
    assertEquals(rooms(Rooms.student(school.studentB.id()), Rooms.mentor(school.mentorB.id())),
      roomsOf(event("task:assigned", one.json().getLong("id")), Duration.ofSeconds(2)));
    Api.Response cohort = api.post("/api/tasks", school.mentorA.token(),
      new JsonObject().put("cohortId", school.cohortId).put("title", "Pair on the kata"));
    assertEquals(201, cohort.status(), cohort::toString);
    assertEquals(rooms(Rooms.cohort(school.cohortId), Rooms.mentor(school.mentorA.id())),
      roomsOf(event("task:assigned", cohort.json().getLong("id")), Duration.ofSeconds(2)));
  }

  @Test
  @DisplayName("schedule:created and schedule:updated → the student's room (or the cohort's) and the mentor's; the student is notified on user:{id}")
  void schedules() {
    OffsetDateTime t = nextSlot();
    Api.Response oneToOne = api.post("/api/schedules", school.mentorA.token(), new JsonObject().put("title", "1:1")
      .put("studentId", school.studentA.id()).put("startTime", t.toString()).put("endTime", t.plusMinutes(45).toString()));
    assertEquals(201, oneToOne.status(), oneToOne::toString);
    long id = oneToOne.json().getLong("id");
    List<JsonObject> frames = watcher.drain(Duration.ofSeconds(2));
    Set<String> created = new TreeSet<>();
    Set<String> notified = new TreeSet<>();
    for (JsonObject f : frames) {
      JsonObject b = f.getJsonObject("body");
      if (b == null) continue;
      if (event("schedule:created", id).test(b)) created.add(f.getString("address"));
      if ("notification:created".equals(b.getString("type"))) {
        notified.add(f.getString("address"));
        assertNull(b.getValue("id"), "notification messages carry no activity id");
        assertTrue(b.getJsonObject("data").getInteger("unreadCount") >= 1);
      }
    }
    assertEquals(rooms(Rooms.student(school.studentA.id()), Rooms.mentor(school.mentorA.id())), created);
    assertEquals(rooms(Rooms.user(school.studentA.id())), notified, "only the student is notified");

    assertEquals(200, api.patch("/api/schedules/" + id + "/status", school.mentorA.token(),
      new JsonObject().put("status", "cancelled")).status());
    assertEquals(rooms(Rooms.student(school.studentA.id()), Rooms.mentor(school.mentorA.id())),
      roomsOf(event("schedule:updated", id), Duration.ofSeconds(2)));

    OffsetDateTime g = nextSlot();
    Api.Response group = api.post("/api/schedules", school.mentorA.token(), new JsonObject().put("title", "Group")
      .put("isGroupSession", true).put("cohortId", school.cohortId)
      .put("startTime", g.toString()).put("endTime", g.plusMinutes(45).toString()));
    assertEquals(201, group.status(), group::toString);
    assertEquals(rooms(Rooms.cohort(school.cohortId), Rooms.mentor(school.mentorA.id())),
      roomsOf(event("schedule:created", group.json().getLong("id")), Duration.ofSeconds(2)));
  }

  @Test
  @DisplayName("metrics:updated → the mentor whose scope changed and role:admin only, with no activity id")
  void metrics() {
    watcher.drain(Duration.ofMillis(2_500)); // let earlier pushes pass
    OffsetDateTime t = nextSlot();
    assertEquals(201, api.post("/api/schedules", school.mentorB.token(), new JsonObject().put("title", "B's")
      .put("studentId", school.studentB.id()).put("startTime", t.toString())
      .put("endTime", t.plusMinutes(30).toString())).status());
    Set<String> pushed = new TreeSet<>();
    for (JsonObject f : watcher.drain(Duration.ofSeconds(4))) {
      JsonObject b = f.getJsonObject("body");
      if (b != null && "metrics:updated".equals(b.getString("type"))) {
        pushed.add(f.getString("address"));
        assertNull(b.getValue("id"));
      }
    }
    assertTrue(pushed.contains(Rooms.mentor(school.mentorB.id())), pushed::toString);
    assertTrue(pushed.contains(Rooms.role("admin")), pushed::toString);
    assertFalse(pushed.contains(Rooms.mentor(school.mentorA.id())), "mentor A's scope did not change");
    pushed.removeAll(Set.of(Rooms.mentor(school.mentorB.id()), Rooms.role("admin")));
    assertTrue(pushed.isEmpty(), "no other room: " + pushed);
  }
}
