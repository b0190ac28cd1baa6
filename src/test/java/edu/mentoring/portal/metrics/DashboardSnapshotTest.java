package edu.mentoring.portal.metrics;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small seeded school: sessions through the API, their outcomes, entries and tasks as rows (their routes belong to
 * other stores). mentorA: studentA (assigned) and cohortStudent (cohort); mentorB: studentB.
 */
@DisplayName("Dashboard snapshot: a mentor's scope, an admin's, and who may ask")
class DashboardSnapshotTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  @BeforeAll
  static void start() throws SQLException {
    long a = school.mentorA.id();
    long b = school.mentorB.id();
    long sA = school.studentA.id();
    long sC = school.cohortStudent.id();
    long sB = school.studentB.id();
    long s1 = session(school.mentorA.token(), sA, null, "2030-01-10T10:00:00Z");
    long s2 = session(school.mentorA.token(), sA, null, "2030-01-11T10:00:00Z");
    session(school.mentorA.token(), null, school.cohortId, "2030-01-12T10:00:00Z");
    long s4 = session(school.mentorA.token(), sA, null, "2030-01-13T10:00:00Z");
    long s5 = session(school.mentorB.token(), sB, null, "2030-01-10T10:00:00Z");
    session(school.mentorB.token(), sB, null, "2030-01-14T10:00:00Z");
    try (Connection c = portal.database().jdbc()) {
      outcome(c, s1, "completed", "attended");
      outcome(c, s2, "missed", "absent");
      outcome(c, s4, "cancelled", "attended"); // a cancelled session's attendance never counts
      outcome(c, s5, "completed", "attended");
      for (String status : List.of("draft", "submitted", "submitted")) entry(c, sA, status);
      entry(c, sC, "approved");
      entry(c, sB, "in_review");
      entry(c, sB, "needs_revision");
      task(c, a, sA, null, "open", "open");
      task(c, a, sA, null, "open", "in_progress");
      task(c, a, null, school.cohortId, "done", "done", sC);
      task(c, a, sA, null, "cancelled", "open"); // a cancelled task is neither open nor done
      task(c, b, sB, null, "done", "done");
    }
  }


  static long session(String token, Long studentId, Long cohortId, String start) {
    JsonObject body = new JsonObject().put("title", "Session").put("startTime", start)
      .put("endTime", Instant.parse(start).plusSeconds(3600).toString());
    if (cohortId != null) body.put("isGroupSession", true).put("cohortId", cohortId);
    else body.put("studentId", studentId);
    Api.Response r = api.post("/api/schedules", token, body);
    assertEquals(201, r.status(), r::toString);
    return r.json().getLong("id");
  }

  static void outcome(Connection c, long scheduleId, String status, String attendance) throws SQLException {
    update(c, "UPDATE schedules SET status = ? WHERE id = ?", status, scheduleId);
    update(c, "UPDATE schedule_attendees SET attendance = ?, marked_at = now() WHERE schedule_id = ?",
      attendance, scheduleId);
    update(c, "UPDATE session_claims SET active = ? WHERE schedule_id = ?", !"cancelled".equals(status), scheduleId);
  }

  static void entry(Connection c, long studentId, String status) throws SQLException {
    update(c, "INSERT INTO learning_entries (student_id, title, content, status) VALUES (?, 'Entry', 'text', ?)",
      studentId, status);
  }

  /** A task (student or cohort) and the assignee rows: the student's own, or those named. */
  static void task(Connection c, long mentorId, Long studentId, Long cohortId, String status, String progress,
                   long... assignees) throws SQLException {
    long taskId;
    try (PreparedStatement ps = c.prepareStatement(
      "INSERT INTO tasks (mentor_id, student_id, cohort_id, title, status) VALUES (?, ?, ?, 'Task', ?) RETURNING id")) {
      ps.setLong(1, mentorId);
      ps.setObject(2, studentId);
      ps.setObject(3, cohortId);
      ps.setString(4, status);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        taskId = rs.getLong(1);
      }
    }
    long[] who = studentId != null ? new long[]{studentId} : assignees;
    for (long s : who) {
      update(c, "INSERT INTO task_assignees (task_id, student_id, status) VALUES (?, ?, ?)", taskId, s, progress);
    }
  }

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      ps.executeUpdate();
    }
  }

  static JsonObject dashboard(String token) {
    Api.Response r = api.get("/api/metrics/dashboard", token);
    assertEquals(200, r.status(), r::toString);
    return r.json();
  }

  static JsonObject student(JsonObject snapshot, long id) {
    JsonArray per = snapshot.getJsonArray("perStudent");
    for (int i = 0; i < per.size(); i++) {
      if (per.getJsonObject(i).getLong("studentId") == id) return per.getJsonObject(i);
    }
    throw new AssertionError("student " + id + " not in " + per.encode());
  }

  static void assertCounts(JsonObject expected, JsonObject actual) {
    assertEquals(expected.fieldNames(), actual.fieldNames(), actual::encode);
    for (String k : expected.fieldNames()) assertEquals(expected.getLong(k), actual.getLong(k), k + " in " + actual.encode());
  }

  static JsonObject entries(long draft, long submitted, long inReview, long approved, long needsRevision) {
    return new JsonObject().put("draft", draft).put("submitted", submitted).put("in_review", inReview)
      .put("approved", approved).put("needs_revision", needsRevision);
  }

  @Test
  @DisplayName("a mentor's snapshot counts their assigned and cohort students and the sessions they run, nobody else's")
  void mentorA() {
    JsonObject m = dashboard(school.mentorA.token());
    assertEquals(new JsonObject().put("role", "mentor").put("mentorId", school.mentorA.id()), m.getJsonObject("scope"));
    assertTrue(m.getString("generatedAt").endsWith("Z"));
    assertEquals(2, m.getLong("students"));
    assertCounts(entries(1, 2, 0, 1, 0), m.getJsonObject("entries"));
    assertCounts(new JsonObject().put("upcoming", 1).put("completed", 1).put("missed", 1).put("cancelled", 1),
      m.getJsonObject("sessions"));
    assertEquals(0.5, m.getDouble("attendanceRate"), 1e-9);
    assertCounts(new JsonObject().put("open", 2).put("done", 1), m.getJsonObject("tasks"));

    assertEquals(2, m.getJsonArray("perStudent").size());
    JsonObject a = student(m, school.studentA.id());
    assertEquals("Student A", a.getString("name"));
    assertCounts(entries(1, 2, 0, 0, 0), a.getJsonObject("entries"));
    assertEquals(1, a.getLong("sessionsCompleted"));
    assertEquals(0, a.getLong("sessionsUpcoming"));
    assertEquals(0.5, a.getDouble("attendanceRate"), 1e-9);
    assertEquals(2, a.getLong("tasksOpen"));
    assertEquals(0, a.getLong("tasksDone"));
    JsonObject c = student(m, school.cohortStudent.id());
    assertCounts(entries(0, 0, 0, 1, 0), c.getJsonObject("entries"));
    assertEquals(0, c.getLong("sessionsCompleted"));
    assertEquals(1, c.getLong("sessionsUpcoming"));
    assertTrue(c.containsKey("attendanceRate"));
    assertNull(c.getValue("attendanceRate"), "nobody marked yet");
    assertEquals(0, c.getLong("tasksOpen"));
    assertEquals(1, c.getLong("tasksDone"));
  }

  @Test
  @DisplayName("another mentor's snapshot holds only their own student and sessions")
  void mentorB() {
    JsonObject m = dashboard(school.mentorB.token());
    assertEquals(new JsonObject().put("role", "mentor").put("mentorId", school.mentorB.id()), m.getJsonObject("scope"));
    assertEquals(1, m.getLong("students"));
    assertCounts(entries(0, 0, 1, 0, 1), m.getJsonObject("entries"));
    assertCounts(new JsonObject().put("upcoming", 1).put("completed", 1).put("missed", 0).put("cancelled", 0),
      m.getJsonObject("sessions"));
    assertEquals(1.0, m.getDouble("attendanceRate"), 1e-9);
    assertCounts(new JsonObject().put("open", 0).put("done", 1), m.getJsonObject("tasks"));
    assertEquals(1, m.getJsonArray("perStudent").size());
    assertEquals(school.studentB.id(), m.getJsonArray("perStudent").getJsonObject(0).getLong("studentId"));
  }

  @Test
  @DisplayName("an admin's snapshot counts every student, session, entry and task, with students in name order")
  void admin() {
    JsonObject m = dashboard(school.admin.token());
    assertEquals(new JsonObject().put("role", "admin"), m.getJsonObject("scope"));
    assertEquals(3, m.getLong("students"));
    assertCounts(entries(1, 2, 1, 1, 1), m.getJsonObject("entries"));
    assertCounts(new JsonObject().put("upcoming", 2).put("completed", 2).put("missed", 1).put("cancelled", 1),
      m.getJsonObject("sessions"));
    assertEquals(2.0 / 3, m.getDouble("attendanceRate"), 1e-9);
    assertCounts(new JsonObject().put("open", 2).put("done", 2), m.getJsonObject("tasks"));
    JsonArray per = m.getJsonArray("perStudent");
    assertEquals(List.of("Cohort Student", "Student A", "Student B"),
      per.stream().map(o -> ((JsonObject) o).getString("name")).toList());
    assertEquals(1, student(m, school.studentB.id()).getLong("sessionsUpcoming"));
  }

  @Test
  @DisplayName("a mentor with no students gets zeros and a null attendance rate, not an error")
  void emptyScope() {
    School.Member lonely = school.create("lonely-" + System.nanoTime() + "@school.test", "Lonely", "mentor");
    JsonObject m = dashboard(lonely.token());
    assertEquals(0, m.getLong("students"));
    assertCounts(entries(0, 0, 0, 0, 0), m.getJsonObject("entries"));
    assertCounts(new JsonObject().put("upcoming", 0).put("completed", 0).put("missed", 0).put("cancelled", 0),
      m.getJsonObject("sessions"));
    assertTrue(m.containsKey("attendanceRate"));
    assertNull(m.getValue("attendanceRate"));
    assertTrue(m.getJsonArray("perStudent").isEmpty());
  }

  @Test
  @DisplayName("students are refused with 403 and callers without a token with 401; nothing is revealed")
  void whoMayAsk() {
    for (School.Member student : List.of(school.studentA, school.studentB, school.cohortStudent)) {
      Api.Response r = api.get("/api/metrics/dashboard", student.token());
      assertEquals(403, r.status(), r::toString);
      assertEquals("forbidden", r.errorCode());
      assertFalse(r.raw().toString().contains("perStudent"));
    }
    Api.Response anonymous = api.get("/api/metrics/dashboard", null);
    assertEquals(401, anonymous.status(), anonymous::toString);
    assertEquals("unauthorized", anonymous.errorCode());
  }
}
