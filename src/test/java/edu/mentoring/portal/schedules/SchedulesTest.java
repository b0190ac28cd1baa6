package edu.mentoring.portal.schedules;

import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static edu.mentoring.portal.schedules.Sessions.awaitExactly;
import static edu.mentoring.portal.schedules.Sessions.create;
import static edu.mentoring.portal.schedules.Sessions.futureSlot;
import static edu.mentoring.portal.schedules.Sessions.group;
import static edu.mentoring.portal.schedules.Sessions.oneToOne;
import static edu.mentoring.portal.schedules.Sessions.pastSlot;
import static edu.mentoring.portal.schedules.Sessions.setStatus;
import static edu.mentoring.portal.schedules.Sessions.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Schedules: every route's happy path, the status workflow and its time rules, list filters")
class SchedulesTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static String mentorA() {
    return school.mentorA.token();
  }

  /** Notifications for {@code userId} caused by events about session {@code id}. */
  private static String notified(long userId, long id, String condition) {
    return "SELECT count(*) FROM notifications n JOIN activity_feed f ON f.id = n.event_id WHERE f.target_id = " + id
      + " AND f.target_type = 'schedule' AND n.type = f.event_type AND n.user_id = " + userId + " AND " + condition;
  }

  private static long count(String sql) {
    return portal.database().count(sql);
  }

  // ------------------------------------------------------------------ happy paths

  @Test
  @DisplayName("a mentor creates a 1:1 session: 201, UTC times, one pending attendee, audit row and schedule:created")
  void createOneToOne() {
    OffsetDateTime t = futureSlot();
    JsonObject s = create(api, mentorA(), oneToOne(school.studentA.id(), t, 60).put("focusStack", "Vert.x"));
    assertEquals(school.mentorA.id(), s.getLong("mentorId"));
    assertEquals(school.studentA.id(), s.getLong("studentId"));
    assertNull(s.getLong("cohortId"));
    assertEquals("scheduled", s.getString("status"));
    assertFalse(s.getBoolean("isGroupSession"));
    assertEquals(t.toInstant().toString(), s.getString("startTime"));
    assertTrue(s.getString("endTime").endsWith("Z"));
    JsonArray attendees = s.getJsonArray("attendees");
    assertEquals(1, attendees.size());
    assertEquals(school.studentA.id(), attendees.getJsonObject(0).getLong("studentId"));
    assertEquals("pending", attendees.getJsonObject(0).getString("attendance"));
    assertNull(attendees.getJsonObject(0).getString("markedAt"));
    long id = s.getLong("id");
    assertEquals(1, count("SELECT count(*) FROM audit_logs WHERE entity_type = 'schedule' AND entity_id = " + id
      + " AND action = 'create' AND new_value IS NOT NULL"));
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM activity_feed WHERE event_type = 'schedule:created'"
      + " AND target_id = " + id + " AND rooms = ARRAY['student:" + school.studentA.id() + "', 'mentor:"
      + school.mentorA.id() + "']");
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM notifications n JOIN activity_feed f ON f.id = n.event_id"
      + " WHERE f.target_id = " + id + " AND n.user_id = " + school.studentA.id());
  }

  @Test
  @DisplayName("a group session has one attendee per cohort member; each student sees only their own entry")
  void groupSessionAttendees() {
    School.Member second = school.register("second-" + System.nanoTime() + "@school.test", "Second", school.cohortId);
    JsonObject s = create(api, mentorA(), group(school.cohortId, futureSlot(), 90));
    long id = s.getLong("id");
    assertTrue(s.getBoolean("isGroupSession"));
    assertEquals(school.cohortId, s.getLong("cohortId"));
    assertNull(s.getLong("studentId"));
    assertEquals(2, s.getJsonArray("attendees").size());
    JsonObject seen = api.get("/api/schedules/" + id, second.token()).json();
    assertEquals(1, seen.getJsonArray("attendees").size());
    assertEquals(second.id(), seen.getJsonArray("attendees").getJsonObject(0).getLong("studentId"));
    assertEquals(2, api.get("/api/schedules/" + id, school.admin.token()).json().getJsonArray("attendees").size());
    // the cohort room reaches every member: the broadcast session carries no attendees
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM activity_feed WHERE target_id = " + id
      + " AND event_type = 'schedule:created' AND rooms = ARRAY['cohort:" + school.cohortId + "', 'mentor:"
      + school.mentorA.id() + "'] AND NOT (data->'schedule' ? 'attendees')");
    // tidy up so later group sessions keep a one-member cohort predictable
    assertEquals(200, setStatus(api, mentorA(), id, "cancelled").status());
  }

  @Test
  @DisplayName("GET /schedules/{id} and GET /schedules answer the session to its mentor, its student and admins")
  void readOne() {
    JsonObject s = create(api, mentorA(), oneToOne(school.studentA.id(), futureSlot(), 30));
    long id = s.getLong("id");
    for (String token : List.of(mentorA(), school.studentA.token(), school.admin.token())) {
      Api.Response r = api.get("/api/schedules/" + id, token);
      assertEquals(200, r.status(), r::toString);
      assertEquals(s.getString("title"), r.json().getString("title"));
      assertTrue(api.get("/api/schedules", token).items().stream()
        .anyMatch(o -> ((JsonObject) o).getLong("id") == id));
    }
  }

  @Test
  @DisplayName("PUT edits title, description, focusStack and time; attendees' time copies move in the same transaction")
  void update() {
    JsonObject s = create(api, mentorA(), oneToOne(school.studentA.id(), futureSlot(), 60)
      .put("description", "old").put("focusStack", "SQL"));
    long id = s.getLong("id");
    OffsetDateTime moved = futureSlot().plusHours(3);
    Api.Response r = api.put("/api/schedules/" + id, mentorA(), new JsonObject().put("title", "Renamed")
      .put("description", null).put("startTime", moved.toString()).put("endTime", moved.plusHours(2).toString()));
    assertEquals(200, r.status(), r::toString);
    JsonObject after = r.json();
    assertEquals("Renamed", after.getString("title"));
    assertNull(after.getString("description"), "an explicit null clears the description");
    assertEquals("SQL", after.getString("focusStack"), "absent fields keep their value");
    assertEquals(moved.toInstant().toString(), after.getString("startTime"));
    assertEquals(moved.plusHours(2).toInstant().toString(), after.getString("endTime"));
    assertEquals(1, count("SELECT count(*) FROM session_claims c JOIN schedules s ON s.id = c.schedule_id"
      + " WHERE s.id = " + id + " AND c.during = tstzrange(s.start_time, s.end_time)"), "the claim moved with it");
    assertEquals(1, count("SELECT count(*) FROM audit_logs WHERE entity_type = 'schedule' AND entity_id = " + id
      + " AND action = 'update' AND old_value->>'title' = '" + s.getString("title") + "'"
      + " AND new_value->>'title' = 'Renamed'"));
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM activity_feed WHERE target_id = " + id
      + " AND event_type = 'schedule:updated' AND data->>'change' = 'updated'"
      + " AND data->'fields' @> '[\"title\", \"startTime\", \"endTime\", \"description\"]'"
      + " AND rooms = ARRAY['student:" + school.studentA.id() + "', 'mentor:" + school.mentorA.id() + "']");
    awaitExactly(portal.database(), 1, notified(school.studentA.id(), id, "n.title = 'Session changed: Renamed'"));

    // only one end of the time may change: the other is checked against the stored value
    Api.Response later = api.put("/api/schedules/" + id, mentorA(),
      new JsonObject().put("endTime", moved.plusHours(4).toString()));
    assertEquals(200, later.status(), later::toString);
    assertEquals(moved.toInstant().toString(), later.json().getString("startTime"));
  }

  @Test
  @DisplayName("PUT refuses a time that overlaps another session of the mentor: 409 schedule_conflict, nothing changes")
  void updateMentorOverlap() {
    OffsetDateTime t = futureSlot();
    create(api, mentorA(), oneToOne(school.studentA.id(), t, 60));
    long other = create(api, mentorA(), oneToOne(school.cohortStudent.id(), t.plusHours(2), 60)).getLong("id");
    String before = state(portal.database(), other);
    Api.Response r = api.put("/api/schedules/" + other, mentorA(), new JsonObject()
      .put("startTime", t.plusMinutes(30).toString()).put("endTime", t.plusMinutes(90).toString()));
    assertEquals(409, r.status(), r::toString);
    assertEquals("schedule_conflict", r.errorCode());
    assertEquals(before, state(portal.database(), other));
    // ranges are half-open: back to back is not an overlap
    Api.Response adjacent = api.put("/api/schedules/" + other, mentorA(), new JsonObject()
      .put("startTime", t.plusMinutes(60).toString()).put("endTime", t.plusMinutes(120).toString()));
    assertEquals(200, adjacent.status(), adjacent::toString);
  }

  @Test
  @DisplayName("PUT that moves a session onto another of its student's sessions (another mentor's) is a schedule_conflict")
  void updateStudentOverlapKeepsConstraintInSync() {
    // a student in mentorA's fresh cohort, assigned to mentorB too: two mentors, one student
    long cohort = api.post("/api/cohorts", school.admin.token(), new JsonObject().put("name", "Sync " + System.nanoTime())
      .put("mentorIds", new JsonArray().add(school.mentorA.id()))).json().getLong("id");
    School.Member y = school.register("sync-" + System.nanoTime() + "@school.test", "Sync", cohort);
    school.assign(y, school.mentorB);
    OffsetDateTime t = futureSlot();
    create(api, school.mentorB.token(), oneToOne(y.id(), t, 60));
    long groupId = create(api, mentorA(), group(cohort, t.plusHours(3), 60)).getLong("id");
    String before = state(portal.database(), groupId);
    Api.Response r = api.put("/api/schedules/" + groupId, mentorA(), new JsonObject()
      .put("startTime", t.plusMinutes(15).toString()).put("endTime", t.plusMinutes(45).toString()));
    assertEquals(409, r.status(), r::toString);
    assertEquals("schedule_conflict", r.errorCode());
    assertEquals(before, state(portal.database(), groupId));
    // once cancelled, the group session no longer holds the student's time
    assertEquals(200, setStatus(api, mentorA(), groupId, "cancelled").status());
    create(api, school.mentorB.token(), oneToOne(y.id(), t.plusHours(3), 60));
  }

  // ------------------------------------------------------------------ status workflow

  @Test
  @DisplayName("a future session cannot be completed or missed yet (409), can be cancelled; cancelled is final")
  void futureSessionWorkflow() {
    long id = create(api, mentorA(), oneToOne(school.studentA.id(), futureSlot(), 60)).getLong("id");
    for (String early : List.of("completed", "missed", "scheduled")) {
      String before = state(portal.database(), id);
      Api.Response r = setStatus(api, mentorA(), id, early);
      assertEquals(409, r.status(), r::toString);
      assertEquals("illegal_transition", r.errorCode());
      assertEquals(before, state(portal.database(), id));
    }
    Api.Response cancel = setStatus(api, mentorA(), id, "cancelled");
    assertEquals(200, cancel.status(), cancel::toString);
    assertEquals("cancelled", cancel.json().getString("status"));
    assertEquals(0, count("SELECT count(*) FROM session_claims WHERE active AND schedule_id = " + id));
    assertEquals(1, count("SELECT count(*) FROM audit_logs WHERE entity_id = " + id + " AND action = 'status'"
      + " AND old_value->>'status' = 'scheduled' AND new_value->>'status' = 'cancelled'"));
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM activity_feed WHERE target_id = " + id
      + " AND data->>'change' = 'status' AND data->>'previousStatus' = 'scheduled'"
      + " AND data->'schedule'->>'status' = 'cancelled'");
    awaitExactly(portal.database(), 1, notified(school.studentA.id(), id, "n.title LIKE 'Session cancelled:%'"));
    for (String next : List.of("scheduled", "completed", "missed", "cancelled")) {
      String before = state(portal.database(), id);
      Api.Response r = setStatus(api, mentorA(), id, next);
      assertEquals(409, r.status(), next + ": " + r);
      assertEquals("illegal_transition", r.errorCode());
      assertEquals(before, state(portal.database(), id));
    }
    Api.Response edit = api.put("/api/schedules/" + id, mentorA(), new JsonObject().put("title", "Too late"));
    assertEquals(409, edit.status(), edit::toString);
    assertEquals("illegal_transition", edit.errorCode());
  }

  @Test
  @DisplayName("a past session can be completed or missed by its mentor; both are final and no longer editable")
  void pastSessionWorkflow() {
    long done = create(api, mentorA(), oneToOne(school.studentA.id(), pastSlot(), 60)).getLong("id");
    Api.Response completed = setStatus(api, mentorA(), done, "completed");
    assertEquals(200, completed.status(), completed::toString);
    assertEquals("completed", completed.json().getString("status"));
    assertEquals(1, count("SELECT count(*) FROM session_claims WHERE active AND schedule_id = " + done),
      "a completed session still holds the student's time");
    long gone = create(api, mentorA(), oneToOne(school.studentA.id(), pastSlot(), 60)).getLong("id");
    Api.Response missed = setStatus(api, school.admin.token(), gone, "missed");
    assertEquals(200, missed.status(), missed::toString);
    for (long id : List.of(done, gone)) {
      for (String next : List.of("cancelled", "completed", "missed")) {
        Api.Response r = setStatus(api, mentorA(), id, next);
        assertEquals(409, r.status(), r::toString);
        assertEquals("illegal_transition", r.errorCode());
      }
      assertEquals(409, api.put("/api/schedules/" + id, mentorA(), new JsonObject().put("title", "x")).status());
    }
  }

  @Test
  @DisplayName("a session under way (started, not ended) may be completed")
  void sessionUnderWay() {
    School.Member now = school.register("now-" + System.nanoTime() + "@school.test", "Now", null);
    school.assign(now, school.mentorB);
    OffsetDateTime start = OffsetDateTime.now(Sessions.PARIS).minusMinutes(20);
    long id = create(api, school.mentorB.token(), oneToOne(now.id(), start, 60)).getLong("id");
    // the student marks attendance while it runs: a 1:1 that has not ended is not completed by it
    Api.Response mark = api.put("/api/schedules/" + id + "/attendance", now.token(),
      new JsonObject().put("attendance", "attended"));
    assertEquals(200, mark.status(), mark::toString);
    assertEquals("scheduled", mark.json().getString("status"));
    assertEquals(200, setStatus(api, school.mentorB.token(), id, "completed").status());
  }

  // ------------------------------------------------------------------ attendance

  @Test
  @DisplayName("a 1:1 student marking attended after the end completes the session and tells the mentor")
  void studentAttendanceCompletesOneToOne() {
    long id = create(api, mentorA(), oneToOne(school.studentA.id(), pastSlot(), 60)).getLong("id");
    Api.Response r = api.put("/api/schedules/" + id + "/attendance", school.studentA.token(),
      new JsonObject().put("attendance", "attended"));
    assertEquals(200, r.status(), r::toString);
    assertEquals("completed", r.json().getString("status"));
    JsonObject mine = r.json().getJsonArray("attendees").getJsonObject(0);
    assertEquals("attended", mine.getString("attendance"));
    assertTrue(mine.getString("markedAt").endsWith("Z"));
    assertEquals(1, count("SELECT count(*) FROM audit_logs WHERE entity_id = " + id + " AND action = 'attendance'"
      + " AND old_value->>'status' = 'scheduled' AND new_value->>'status' = 'completed'"));
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM activity_feed WHERE target_id = " + id
      + " AND data->>'change' = 'attendance' AND (data->>'completed')::boolean"
      + " AND data->'attendee'->>'attendance' = 'attended'");
    awaitExactly(portal.database(), 1, notified(school.mentorA.id(), id,
      "n.title LIKE 'Attendance:%' AND n.body LIKE '%marked themselves attended%'"));
    // the student is not notified of their own mark
    assertEquals(0, count("SELECT count(*) FROM notifications n JOIN activity_feed f ON f.id = n.event_id"
      + " WHERE f.target_id = " + id + " AND f.data->>'change' = 'attendance' AND n.user_id = "
      + school.studentA.id()));
  }

  @Test
  @DisplayName("absent does not complete a 1:1; a student may change their mark; the mentor marks too and the student is told")
  void attendanceMarks() {
    long id = create(api, mentorA(), oneToOne(school.studentA.id(), pastSlot(), 60)).getLong("id");
    Api.Response absent = api.put("/api/schedules/" + id + "/attendance", school.studentA.token(),
      new JsonObject().put("attendance", "absent"));
    assertEquals(200, absent.status(), absent::toString);
    assertEquals("scheduled", absent.json().getString("status"));
    Api.Response byMentor = api.put("/api/schedules/" + id + "/attendance", mentorA(),
      new JsonObject().put("studentId", school.studentA.id()).put("attendance", "absent"));
    assertEquals(200, byMentor.status(), byMentor::toString);
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM notifications n JOIN activity_feed f ON f.id = n.event_id"
      + " WHERE f.target_id = " + id + " AND n.user_id = " + school.studentA.id()
      + " AND n.body LIKE 'You were marked absent%'");
    assertEquals(200, setStatus(api, mentorA(), id, "missed").status());
    // a finished (not cancelled) session still takes attendance corrections, without changing its status
    Api.Response fix = api.put("/api/schedules/" + id + "/attendance", school.studentA.token(),
      new JsonObject().put("attendance", "attended"));
    assertEquals(200, fix.status(), fix::toString);
    assertEquals("missed", fix.json().getString("status"));
  }

  @Test
  @DisplayName("attendance before the start, or on a cancelled session, is a 409 illegal_transition and changes nothing")
  void attendanceTimeRules() {
    long future = create(api, mentorA(), oneToOne(school.studentA.id(), futureSlot(), 60)).getLong("id");
    long past = create(api, mentorA(), oneToOne(school.studentA.id(), pastSlot(), 60)).getLong("id");
    assertEquals(200, setStatus(api, mentorA(), past, "cancelled").status());
    for (long id : List.of(future, past)) {
      for (String token : List.of(school.studentA.token(), mentorA())) {
        String before = state(portal.database(), id);
        Api.Response r = api.put("/api/schedules/" + id + "/attendance", token, new JsonObject()
          .put("attendance", "attended").put("studentId", school.studentA.id()));
        assertEquals(409, r.status(), r::toString);
        assertEquals("illegal_transition", r.errorCode());
        assertEquals(before, state(portal.database(), id));
      }
    }
  }

  @Test
  @DisplayName("a group session's student marks their own attendance; the session stays scheduled for its mentor to close")
  void groupAttendance() {
    long id = create(api, mentorA(), group(school.cohortId, pastSlot(), 60)).getLong("id");
    Api.Response r = api.put("/api/schedules/" + id + "/attendance", school.cohortStudent.token(),
      new JsonObject().put("attendance", "attended"));
    assertEquals(200, r.status(), r::toString);
    assertEquals("scheduled", r.json().getString("status"));
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM activity_feed WHERE target_id = " + id
      + " AND data->>'change' = 'attendance' AND NOT (data ? 'attendee') AND NOT (data->'schedule' ? 'attendees')");
    assertEquals(200, setStatus(api, mentorA(), id, "completed").status());
  }

  @Test
  @DisplayName("the student's and the mentor's rooms receive schedule:updated envelopes as the session changes")
  void realtimeRooms() {
    long id = create(api, mentorA(), oneToOne(school.studentA.id(), futureSlot(), 60)).getLong("id");
    String studentRoom = Rooms.student(school.studentA.id());
    String mentorRoom = Rooms.mentor(school.mentorA.id());
    try (BridgeClient student = BridgeClient.connect(portal.node().vertx(), portal.port());
         BridgeClient mentor = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      student.register(studentRoom, school.studentA.token());
      mentor.register(mentorRoom, mentorA());
      assertTrue(Sessions.until(() -> portal.node().rooms().roomMembers(studentRoom) > 0
        && portal.node().rooms().roomMembers(mentorRoom) > 0), "rooms joined");
      assertEquals(200, setStatus(api, mentorA(), id, "cancelled").status());
      // earlier events (this session's schedule:created among them) may still be arriving: skip to ours
      for (var c : List.of(updateOn(student, studentRoom, id), updateOn(mentor, mentorRoom, id))) {
        assertNotNull(c, "no schedule:updated on the room");
        assertEquals("schedule:updated", c.getString("type"));
        assertEquals(id, c.getJsonObject("target").getLong("id"));
        assertEquals("status", c.getJsonObject("data").getString("change"));
        assertEquals("cancelled", c.getJsonObject("data").getJsonObject("schedule").getString("status"));
        assertTrue(c.getLong("id") > 0);
      }
    }
  }

  private static JsonObject updateOn(BridgeClient client, String room, long id) {
    JsonObject frame = client.await(f -> "rec".equals(f.getString("type")) && room.equals(f.getString("address"))
      && "schedule:updated".equals(f.getJsonObject("body").getString("type"))
      && f.getJsonObject("body").getJsonObject("target").getLong("id") == id, Duration.ofSeconds(10));
    return frame == null ? null : frame.getJsonObject("body");
  }

  // ------------------------------------------------------------------ delete

  @Test
  @DisplayName("DELETE removes a cancelled session (204): audit row keeps its last state, schedule:updated says deleted")
  void deleteCancelled() {
    long id = create(api, mentorA(), oneToOne(school.studentA.id(), futureSlot(), 60)).getLong("id");
    String before = state(portal.database(), id);
    Api.Response live = api.delete("/api/schedules/" + id, mentorA());
    assertEquals(409, live.status(), live::toString);
    assertEquals("illegal_transition", live.errorCode());
    assertEquals(before, state(portal.database(), id));

    assertEquals(200, setStatus(api, mentorA(), id, "cancelled").status());
    Api.Response r = api.delete("/api/schedules/" + id, mentorA());
    assertEquals(204, r.status(), r::toString);
    assertEquals(0, count("SELECT count(*) FROM schedules WHERE id = " + id));
    assertEquals(0, count("SELECT count(*) FROM schedule_attendees WHERE schedule_id = " + id));
    assertEquals(1, count("SELECT count(*) FROM audit_logs WHERE entity_id = " + id + " AND action = 'delete'"
      + " AND old_value->>'status' = 'cancelled' AND new_value IS NULL"));
    awaitExactly(portal.database(), 1, "SELECT count(*) FROM activity_feed WHERE target_id = " + id
      + " AND event_type = 'schedule:updated' AND data->>'change' = 'deleted'"
      + " AND rooms = ARRAY['student:" + school.studentA.id() + "', 'mentor:" + school.mentorA.id() + "']");
    assertEquals(404, api.get("/api/schedules/" + id, mentorA()).status());
    assertEquals(404, api.delete("/api/schedules/" + id, mentorA()).status());
  }

  @Test
  @DisplayName("completed and missed sessions are history: DELETE is a 409")
  void deleteHistory() {
    long id = create(api, mentorA(), oneToOne(school.studentA.id(), pastSlot(), 60)).getLong("id");
    assertEquals(200, setStatus(api, mentorA(), id, "completed").status());
    String before = state(portal.database(), id);
    Api.Response r = api.delete("/api/schedules/" + id, school.admin.token());
    assertEquals(409, r.status(), r::toString);
    assertEquals(before, state(portal.database(), id));
  }

  // ------------------------------------------------------------------ list

  @Test
  @DisplayName("GET /schedules filters by from, to, status, studentId and mentorId, ordered by start time then id")
  void listFilters() {
    // a mentor and two students of their own keep this test's sessions apart from the others
    School.Member mentor = school.create("lister-" + System.nanoTime() + "@school.test", "Lister", "mentor");
    School.Member s1 = school.register("l1-" + System.nanoTime() + "@school.test", "L1", null);
    School.Member s2 = school.register("l2-" + System.nanoTime() + "@school.test", "L2", null);
    school.assign(s1, mentor);
    school.assign(s2, mentor);
    OffsetDateTime day = futureSlot();
    long a = create(api, mentor.token(), oneToOne(s1.id(), day, 60)).getLong("id");
    long b = create(api, mentor.token(), oneToOne(s2.id(), day.plusHours(2), 60)).getLong("id");
    long c = create(api, mentor.token(), oneToOne(s1.id(), day.plusHours(4), 60)).getLong("id");
    assertEquals(200, setStatus(api, mentor.token(), b, "cancelled").status());

    String base = "/api/schedules?mentorId=" + mentor.id();
    assertEquals(List.of(a, b, c), ids(api.get(base, school.admin.token())));
    assertEquals(List.of(a, b, c), ids(api.get("/api/schedules", mentor.token())));
    assertEquals(List.of(b), ids(api.get(base + "&status=cancelled", school.admin.token())));
    assertEquals(List.of(a, c), ids(api.get(base + "&status=scheduled", school.admin.token())));
    assertEquals(List.of(a, c), ids(api.get(base + "&studentId=" + s1.id(), school.admin.token())));
    assertEquals(List.of(b, c), ids(api.get(base + "&from=" + q(day.plusMinutes(90)), school.admin.token())));
    assertEquals(List.of(a), ids(api.get(base + "&to=" + q(day.plusMinutes(90)), school.admin.token())));
    assertEquals(List.of(b), ids(api.get(base + "&from=" + q(day.plusMinutes(90)) + "&to="
      + q(day.plusMinutes(200)), school.admin.token())));
    assertEquals(List.of(a, c), ids(api.get("/api/schedules", s1.token())));
    assertEquals(List.of(), ids(api.get(base, school.mentorA.token())), "another mentor sees none of them");
    assertEquals(List.of(a), ids(api.get(base + "&limit=1", school.admin.token())));

    // the same start time: ties break by id
    School.Member s3 = school.register("l3-" + System.nanoTime() + "@school.test", "L3", null);
    school.assign(s3, school.mentorB);
    OffsetDateTime tie = futureSlot();
    long d = create(api, mentor.token(), oneToOne(s2.id(), tie, 30)).getLong("id");
    long e = create(api, school.mentorB.token(), oneToOne(s3.id(), tie, 30)).getLong("id");
    assertEquals(List.of(d, e), ids(api.get("/api/schedules?from=" + q(tie) + "&to=" + q(tie.plusMinutes(30)),
      school.admin.token())).stream().filter(x -> x == d || x == e).toList());
  }

  private static String q(OffsetDateTime t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }

  private static List<Long> ids(Api.Response r) {
    assertEquals(200, r.status(), r::toString);
    List<Long> ids = new ArrayList<>();
    for (Object o : r.items()) ids.add(((JsonObject) o).getLong("id"));
    return ids;
  }

  @Test
  @DisplayName("an admin creates a session for a named mentor")
  void adminCreates() {
    JsonObject s = create(api, school.admin.token(), oneToOne(school.studentB.id(), futureSlot(), 45)
      .put("mentorId", school.mentorB.id()));
    assertEquals(school.mentorB.id(), s.getLong("mentorId"));
    assertNotNull(api.get("/api/schedules/" + s.getLong("id"), school.studentB.token()).json());
  }
}
