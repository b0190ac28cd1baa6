package edu.mentoring.portal.tasks;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.util.List;

import static edu.mentoring.portal.tasks.TaskTesting.create;
import static edu.mentoring.portal.tasks.TaskTesting.setStatus;
import static edu.mentoring.portal.tasks.TaskTesting.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Tasks: assigning, listing and who may do what")
class TasksTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static JsonObject forStudentA(String title) {
    return new JsonObject().put("studentId", school.studentA.id()).put("title", title);
  }

  private static long taskRows() {
    return portal.database().count("SELECT (SELECT count(*) FROM tasks) + (SELECT count(*) FROM task_assignees)"
      + " + (SELECT count(*) FROM audit_logs WHERE entity_type = 'task')"
      + " + (SELECT count(*) FROM activity_feed WHERE event_type = 'task:assigned')");
  }

  private static List<Long> ids(JsonArray items) {
    return items.stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }

  // ------------------------------------------------------------------ happy paths

  @Test
  @DisplayName("a mentor assigns a task to their student: 201 with the whole task, times in UTC, one open assignee")
  void mentorAssignsStudentTask() {
    Api.Response r = api.post("/api/tasks", school.mentorA.token(), forStudentA("Read chapter 3")
      .put("description", "Pages 40–60").put("dueAt", "2026-12-01T15:00:00+01:00"));
    assertEquals(201, r.status(), r::toString);
    JsonObject task = r.json();
    assertTrue(task.getLong("id") > 0);
    assertEquals(school.mentorA.id(), task.getLong("mentorId"));
    assertEquals(school.studentA.id(), task.getLong("studentId"));
    assertNull(task.getValue("cohortId"));
    assertEquals("Read chapter 3", task.getString("title"));
    assertEquals("Pages 40–60", task.getString("description"));
    assertEquals("2026-12-01T14:00:00Z", task.getString("dueAt"));
    assertEquals("open", task.getString("status"));
    assertTrue(task.getString("createdAt").endsWith("Z"));
    assertTrue(task.getString("updatedAt").endsWith("Z"));
    assertEquals(new JsonArray().add(new JsonObject().put("studentId", school.studentA.id()).put("status", "open")
      .putNull("completedAt")), task.getJsonArray("assignees"));
    assertEquals(1, portal.database().count("SELECT count(*) FROM audit_logs WHERE entity_type = 'task'"
      + " AND action = 'create' AND entity_id = " + task.getLong("id")));
  }

  @Test
  @DisplayName("a mentor assigns a task to a cohort they mentor: one assignee per member; description and dueAt are optional")
  void mentorAssignsCohortTask() {
    JsonObject task = create(api, school.mentorA.token(), new JsonObject().put("cohortId", school.cohortId)
      .put("title", "Cohort reading"));
    assertEquals(school.cohortId, task.getLong("cohortId"));
    assertNull(task.getValue("studentId"));
    assertNull(task.getValue("description"));
    assertNull(task.getValue("dueAt"));
    assertEquals(portal.database().count("SELECT count(*) FROM users WHERE cohort_id = " + school.cohortId),
      task.getJsonArray("assignees").size());
    assertTrue(task.getJsonArray("assignees").stream()
      .anyMatch(a -> ((JsonObject) a).getLong("studentId") == school.cohortStudent.id()));
  }

  @Test
  @DisplayName("a mentor may assign a student of a cohort they mentor, not only students assigned to them")
  void mentorAssignsCohortMember() {
    JsonObject task = create(api, school.mentorA.token(), new JsonObject()
      .put("studentId", school.cohortStudent.id()).put("title", "Just for you"));
    assertEquals(school.cohortStudent.id(), task.getLong("studentId"));
  }

  @Test
  @DisplayName("an admin assigns on behalf of a named mentor, who must be a mentor of that student")
  void adminNamesMentor() {
    JsonObject task = create(api, school.admin.token(), forStudentA("From the office").put("mentorId", school.mentorA.id()));
    assertEquals(school.mentorA.id(), task.getLong("mentorId"));
    long before = taskRows();
    Api.Response noMentor = api.post("/api/tasks", school.admin.token(), forStudentA("No mentor"));
    assertEquals(400, noMentor.status(), noMentor::toString);
    assertEquals("mentorId", noMentor.json().getJsonObject("error").getJsonArray("details").getJsonObject(0).getString("field"));
    assertEquals(400, api.post("/api/tasks", school.admin.token(), forStudentA("Wrong mentor")
      .put("mentorId", school.mentorB.id())).status());
    assertEquals(400, api.post("/api/tasks", school.admin.token(), forStudentA("Not a mentor")
      .put("mentorId", school.studentB.id())).status());
    assertEquals(before, taskRows());
  }

  @Test
  @DisplayName("GET /tasks: a mentor sees the tasks they created, an admin all, a student only their own entry and myStatus")
  void listVisibility() {
    JsonObject own = create(api, school.mentorA.token(), forStudentA("Visible to A"));
    JsonObject other = create(api, school.mentorB.token(), new JsonObject().put("studentId", school.studentB.id())
      .put("title", "Visible to B"));
    School.Member classmate = school.register("classmate-" + System.nanoTime() + "@school.test", "Classmate", school.cohortId);
    JsonObject cohortTask = create(api, school.mentorA.token(), new JsonObject().put("cohortId", school.cohortId)
      .put("title", "Everyone in the cohort"));
    assertTrue(cohortTask.getJsonArray("assignees").size() >= 2);

    List<Long> mentorA = ids(api.get("/api/tasks", school.mentorA.token()).items());
    assertTrue(mentorA.containsAll(List.of(own.getLong("id"), cohortTask.getLong("id"))));
    assertFalse(mentorA.contains(other.getLong("id")));
    List<Long> mentorB = ids(api.get("/api/tasks", school.mentorB.token()).items());
    assertTrue(mentorB.contains(other.getLong("id")));
    assertFalse(mentorB.contains(own.getLong("id")));
    List<Long> admin = ids(api.get("/api/tasks", school.admin.token()).items());
    assertTrue(admin.containsAll(List.of(own.getLong("id"), other.getLong("id"), cohortTask.getLong("id"))));

    List<Long> studentA = ids(api.get("/api/tasks", school.studentA.token()).items());
    assertTrue(studentA.contains(own.getLong("id")));
    assertFalse(studentA.contains(other.getLong("id")));
    assertFalse(studentA.contains(cohortTask.getLong("id")));

    JsonObject seen = api.get("/api/tasks?cohortId=" + school.cohortId, classmate.token()).items().stream()
      .map(o -> (JsonObject) o).filter(t -> t.getLong("id").equals(cohortTask.getLong("id"))).findFirst().orElseThrow();
    assertEquals(new JsonArray().add(new JsonObject().put("studentId", classmate.id()).put("status", "open")
      .putNull("completedAt")), seen.getJsonArray("assignees"));
    assertEquals("open", seen.getString("myStatus"));
    // a mentor's view is the whole task, without a personal status
    JsonObject mentorView = api.get("/api/tasks?cohortId=" + school.cohortId, school.mentorA.token()).items()
      .getJsonObject(0);
    assertFalse(mentorView.containsKey("myStatus"));
    assertEquals(cohortTask.getJsonArray("assignees").size(), mentorView.getJsonArray("assignees").size());

    assertEquals(401, api.get("/api/tasks", null).status());
  }

  @Test
  @DisplayName("GET /tasks filters by status, studentId, cohortId and limit, newest first")
  void listFilters() {
    JsonObject first = create(api, school.mentorB.token(), new JsonObject().put("studentId", school.studentB.id())
      .put("title", "Filter one"));
    JsonObject second = create(api, school.mentorB.token(), new JsonObject().put("studentId", school.studentB.id())
      .put("title", "Filter two"));
    assertEquals(200, setStatus(api, school.mentorB.token(), first.getLong("id"), "cancelled").status());

    String token = school.mentorB.token();
    List<Long> all = ids(api.get("/api/tasks?studentId=" + school.studentB.id(), token).items());
    assertTrue(all.indexOf(second.getLong("id")) < all.indexOf(first.getLong("id")), "newest first");
    List<Long> cancelled = ids(api.get("/api/tasks?status=cancelled", token).items());
    assertTrue(cancelled.contains(first.getLong("id")));
    assertFalse(cancelled.contains(second.getLong("id")));
    assertEquals(1, api.get("/api/tasks?limit=1", token).items().size());
    assertTrue(api.get("/api/tasks?studentId=" + school.studentA.id(), token).items().isEmpty());
    assertTrue(api.get("/api/tasks?cohortId=" + school.cohortId, token).items().isEmpty());

    for (String bad : List.of("status=finished", "limit=0", "limit=abc", "limit=100000", "studentId=abc",
      "cohortId=-1")) {
      Api.Response r = api.get("/api/tasks?" + bad, token);
      assertEquals(400, r.status(), bad + " → " + r);
      assertEquals("validation_failed", r.errorCode());
    }
  }

  // ------------------------------------------------------------------ permissions

  @Test
  @DisplayName("creating: students get 403, anonymous 401, a mentor cannot assign another mentor's student or cohort; nothing is written")
  void createPermissions() {
    long before = taskRows();
    assertEquals(401, api.post("/api/tasks", null, forStudentA("Anonymous")).status());
    Api.Response student = api.post("/api/tasks", school.studentA.token(), forStudentA("Self-assigned"));
    assertEquals(403, student.status());
    assertEquals("forbidden", student.errorCode());
    Api.Response otherStudent = api.post("/api/tasks", school.mentorB.token(), forStudentA("Not yours"));
    assertEquals(400, otherStudent.status(), otherStudent::toString);
    assertEquals("studentId", otherStudent.json().getJsonObject("error").getJsonArray("details")
      .getJsonObject(0).getString("field"));
    Api.Response otherCohort = api.post("/api/tasks", school.mentorB.token(), new JsonObject()
      .put("cohortId", school.cohortId).put("title", "Not your cohort"));
    assertEquals(400, otherCohort.status());
    assertEquals("cohortId", otherCohort.json().getJsonObject("error").getJsonArray("details")
      .getJsonObject(0).getString("field"));
    assertEquals(400, api.post("/api/tasks", school.mentorA.token(), forStudentA("As someone else")
      .put("mentorId", school.mentorB.id())).status());
    assertEquals(400, api.post("/api/tasks", school.mentorA.token(), new JsonObject()
      .put("studentId", school.mentorB.id()).put("title", "A mentor is no student")).status());
    assertEquals(before, taskRows());
  }

  @Test
  @DisplayName("changing status: owner student 200; another student, another mentor 404; the mentor and admin may only cancel; anonymous 401; refusals change nothing")
  void statusPermissionMatrix() {
    long id = create(api, school.mentorA.token(), forStudentA("Matrix")).getLong("id");
    String before = snapshot(portal.database(), id);

    record Refusal(String who, String token, String status, int expected) {
    }
    for (Refusal r : List.of(
      new Refusal("anonymous", null, "in_progress", 401),
      new Refusal("another student", school.studentB.token(), "in_progress", 404),
      new Refusal("a cohort student", school.cohortStudent.token(), "in_progress", 404),
      new Refusal("another mentor", school.mentorB.token(), "cancelled", 404),
      new Refusal("the mentor, setting progress", school.mentorA.token(), "in_progress", 409),
      new Refusal("the mentor, marking done", school.mentorA.token(), "done", 409),
      new Refusal("an admin, setting progress", school.admin.token(), "in_progress", 409),
      new Refusal("the owner, cancelling", school.studentA.token(), "cancelled", 409),
      new Refusal("the owner, skipping to done", school.studentA.token(), "done", 409))) {
      Api.Response resp = setStatus(api, r.token(), id, r.status());
      assertEquals(r.expected(), resp.status(), r.who() + " → " + resp);
      assertEquals(before, snapshot(portal.database(), id), r.who() + " changed the database");
    }

    Api.Response owner = setStatus(api, school.studentA.token(), id, "in_progress");
    assertEquals(200, owner.status(), owner::toString);
    assertEquals("in_progress", owner.json().getString("myStatus"));
    assertEquals("in_progress", owner.json().getString("status"));

    Api.Response mentor = setStatus(api, school.mentorA.token(), id, "cancelled");
    assertEquals(200, mentor.status(), mentor::toString);
    assertEquals("cancelled", mentor.json().getString("status"));

    Api.Response admin = setStatus(api, school.admin.token(), id, "open");
    assertEquals(200, admin.status(), admin::toString);
    assertEquals("in_progress", admin.json().getString("status"), "resumes from the assignee's progress");
  }

  @Test
  @DisplayName("an unknown, malformed or invisible task id is 404 on status change")
  void unknownTask() {
    assertEquals(404, setStatus(api, school.studentA.token(), 999_999, "in_progress").status());
    assertEquals(404, setStatus(api, school.admin.token(), 999_999, "cancelled").status());
    assertEquals(404, api.patch("/api/tasks/abc/status", school.admin.token(),
      new JsonObject().put("status", "cancelled")).status());
    assertEquals(404, api.patch("/api/tasks/0/status", school.admin.token(),
      new JsonObject().put("status", "cancelled")).status());
  }

  // ------------------------------------------------------------------ bad input

  @Test
  @DisplayName("bad task input is a 400 naming the field, and nothing is written")
  void badCreateInput() {
    long before = taskRows();
    record Bad(String why, JsonObject body, String field) {
    }
    String tooLong = "x".repeat(201);
    for (Bad b : List.of(
      new Bad("missing title", new JsonObject().put("studentId", school.studentA.id()), "title"),
      new Bad("title not a string", forStudentA("x").put("title", 42), "title"),
      new Bad("blank title", forStudentA("   "), "title"),
      new Bad("oversize title", forStudentA(tooLong), "title"),
      new Bad("NUL in title", forStudentA("a\u0000b"), "title"),
      new Bad("oversize description", forStudentA("ok").put("description", "d".repeat(5001)), "description"),
      new Bad("NUL in description", forStudentA("ok").put("description", "\u0000"), "description"),
      new Bad("description not a string", forStudentA("ok").put("description", new JsonArray()), "description"),
      new Bad("dueAt without offset", forStudentA("ok").put("dueAt", "2026-12-01T15:00:00"), "dueAt"),
      new Bad("dueAt a date only", forStudentA("ok").put("dueAt", "2026-12-01"), "dueAt"),
      new Bad("dueAt a number", forStudentA("ok").put("dueAt", 1764597600), "dueAt"),
      new Bad("no audience", new JsonObject().put("title", "ok"), "studentId"),
      new Bad("both audiences", forStudentA("ok").put("cohortId", school.cohortId), "cohortId"),
      new Bad("studentId a string", new JsonObject().put("title", "ok").put("studentId", "abc"), "studentId"),
      new Bad("studentId negative", new JsonObject().put("title", "ok").put("studentId", -3), "studentId"),
      new Bad("studentId fractional", new JsonObject().put("title", "ok").put("studentId", 1.5), "studentId"),
      new Bad("studentId unknown", new JsonObject().put("title", "ok").put("studentId", 999_999), "studentId"),
      new Bad("cohortId unknown", new JsonObject().put("title", "ok").put("cohortId", 999_999), "cohortId"),
      new Bad("cohortId a boolean", new JsonObject().put("title", "ok").put("cohortId", true), "cohortId"))) {
      Api.Response r = api.post("/api/tasks", school.mentorA.token(), b.body());
      assertEquals(400, r.status(), b.why() + " → " + r);
      assertEquals("validation_failed", r.errorCode(), b.why());
      JsonArray details = r.json().getJsonObject("error").getJsonArray("details");
      assertTrue(details.stream().anyMatch(d -> b.field().equals(((JsonObject) d).getString("field"))),
        b.why() + " → " + details.encode());
    }
    Api.Response notJson = api.send(io.vertx.core.http.HttpMethod.POST, "/api/tasks", school.mentorA.token(),
      io.vertx.core.buffer.Buffer.buffer("[1,2]"), "application/json");
    assertEquals(400, notJson.status());
    assertEquals(before, taskRows());
  }

  @Test
  @DisplayName("a bad status body is a 400 and changes nothing")
  void badStatusInput() {
    long id = create(api, school.mentorA.token(), forStudentA("Status input")).getLong("id");
    String before = snapshot(portal.database(), id);
    for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("status", "finished"),
      new JsonObject().put("status", 3), new JsonObject().put("status", "in_progress\u0000"),
      new JsonObject().putNull("status"), new JsonObject().put("status", "IN_PROGRESS"))) {
      Api.Response r = api.patch("/api/tasks/" + id + "/status", school.studentA.token(), body);
      assertEquals(400, r.status(), body.encode() + " → " + r);
      assertEquals("validation_failed", r.errorCode());
    }
    assertEquals(before, snapshot(portal.database(), id));
  }
}
