package edu.mentoring.portal.tasks;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static edu.mentoring.portal.tasks.TaskTesting.awaitCount;
import static edu.mentoring.portal.tasks.TaskTesting.create;
import static edu.mentoring.portal.tasks.TaskTesting.setStatus;
import static edu.mentoring.portal.tasks.TaskTesting.snapshot;
import static edu.mentoring.portal.tasks.TaskTesting.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Tasks: the progress workflow, and who hears of a new task")
class TaskWorkflowTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;
  /** A second member of the cohort, so cohort tasks have two assignees. */
  private static School.Member classmate;

  @BeforeAll
  static void start() {
    classmate = school.register("classmate@school.test", "Classmate", school.cohortId);
  }


  private static JsonObject move(School.Member who, long taskId, String status) {
    Api.Response r = setStatus(api, who.token(), taskId, status);
    assertEquals(200, r.status(), () -> who.email() + " → " + status + ": " + r);
    return r.json();
  }

  private static void refused(School.Member who, long taskId, String status) {
    String before = snapshot(portal.database(), taskId);
    Api.Response r = setStatus(api, who.token(), taskId, status);
    assertEquals(409, r.status(), () -> who.email() + " → " + status + ": " + r);
    assertEquals("illegal_transition", r.errorCode());
    assertEquals(before, snapshot(portal.database(), taskId));
  }

  private static JsonObject mentorView(long taskId) {
    return api.get("/api/tasks?studentId=" + school.cohortStudent.id() + "&limit=1000", school.mentorA.token()).items()
      .stream().map(o -> (JsonObject) o).filter(t -> t.getLong("id") == taskId).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("a student starts, finishes and reopens their task; the task follows; skips and repeats are 409")
  void studentTaskWorkflow() {
    long id = create(api, school.mentorA.token(), new JsonObject().put("studentId", school.studentA.id())
      .put("title", "Workflow")).getLong("id");
    refused(school.studentA, id, "done");
    refused(school.studentA, id, "open");

    JsonObject started = move(school.studentA, id, "in_progress");
    assertEquals("in_progress", started.getString("status"));
    assertEquals("in_progress", started.getString("myStatus"));
    refused(school.studentA, id, "in_progress");
    refused(school.studentA, id, "open");

    JsonObject done = move(school.studentA, id, "done");
    assertEquals("done", done.getString("status"));
    assertEquals("done", done.getString("myStatus"));
    String completedAt = done.getJsonArray("assignees").getJsonObject(0).getString("completedAt");
    assertNotNull(completedAt);
    assertTrue(completedAt.endsWith("Z"));
    refused(school.studentA, id, "done");
    refused(school.studentA, id, "open");

    JsonObject reopened = move(school.studentA, id, "in_progress");
    assertEquals("in_progress", reopened.getString("status"));
    assertNull(reopened.getJsonArray("assignees").getJsonObject(0).getValue("completedAt"));

    // each change is audited with the task before and after
    List<String> audited = strings(portal.database(), "SELECT (old_value->>'status') || '>' || (new_value->>'status')"
      + " FROM audit_logs WHERE entity_type = 'task' AND action = 'change_status' AND entity_id = " + id + " ORDER BY id");
    assertEquals(List.of("open>in_progress", "in_progress>done", "done>in_progress"), audited);
    assertEquals(List.of(Long.toString(school.studentA.id())), strings(portal.database(),
      "SELECT actor_id::text FROM audit_logs WHERE entity_type = 'task' AND action = 'change_status' AND entity_id = "
        + id + " ORDER BY id LIMIT 1"));
  }

  @Test
  @DisplayName("a cohort task becomes done by itself when every member is done, and in progress again when one reopens")
  void cohortTaskAutomaticDone() {
    JsonObject task = create(api, school.mentorA.token(), new JsonObject().put("cohortId", school.cohortId)
      .put("title", "Cohort workflow"));
    long id = task.getLong("id");
    assertEquals(2, task.getJsonArray("assignees").size());

    JsonObject mine = move(school.cohortStudent, id, "in_progress");
    assertEquals("in_progress", mine.getString("status"));
    assertEquals(1, mine.getJsonArray("assignees").size(), "a student sees only their own entry");
    assertEquals(school.cohortStudent.id(), mine.getJsonArray("assignees").getJsonObject(0).getLong("studentId"));

    assertEquals("in_progress", move(school.cohortStudent, id, "done").getString("status"),
      "one member done is not the whole task");
    JsonObject other = move(classmate, id, "in_progress");
    assertEquals("in_progress", other.getString("myStatus"));
    assertEquals("in_progress", other.getString("status"));
    JsonObject last = move(classmate, id, "done");
    assertEquals("done", last.getString("status"));
    assertEquals("done", mentorView(id).getString("status"));
    assertTrue(mentorView(id).getJsonArray("assignees").stream()
      .allMatch(a -> "done".equals(((JsonObject) a).getString("status"))));

    assertEquals("in_progress", move(school.cohortStudent, id, "in_progress").getString("status"));
    JsonObject view = mentorView(id);
    assertEquals("in_progress", view.getString("status"));
    Set<String> progress = new TreeSet<>();
    view.getJsonArray("assignees").forEach(a -> progress.add(((JsonObject) a).getLong("studentId") + ":"
      + ((JsonObject) a).getString("status")));
    assertEquals(Set.of(school.cohortStudent.id() + ":in_progress", classmate.id() + ":done"), progress);
  }

  @Test
  @DisplayName("when the last two members finish at the same moment, the task still becomes done")
  void concurrentCompletion() throws Exception {
    for (int round = 0; round < 5; round++) {
      long id = create(api, school.mentorA.token(), new JsonObject().put("cohortId", school.cohortId)
        .put("title", "Race " + round)).getLong("id");
      move(school.cohortStudent, id, "in_progress");
      move(classmate, id, "in_progress");
      var first = CompletableFuture.supplyAsync(() -> setStatus(api, school.cohortStudent.token(), id, "done"));
      var second = CompletableFuture.supplyAsync(() -> setStatus(api, classmate.token(), id, "done"));
      assertEquals(200, first.get(30, TimeUnit.SECONDS).status());
      assertEquals(200, second.get(30, TimeUnit.SECONDS).status());
      assertEquals("done", mentorView(id).getString("status"));
    }
  }

  @Test
  @DisplayName("a mentor cancels a task; assignees can then change nothing; taking it back resumes from their progress")
  void cancelAndTakeBack() {
    long id = create(api, school.mentorA.token(), new JsonObject().put("cohortId", school.cohortId)
      .put("title", "Cancel me")).getLong("id");
    refused(school.mentorA, id, "open");
    assertEquals("cancelled", move(school.mentorA, id, "cancelled").getString("status"));
    refused(school.mentorA, id, "cancelled");
    refused(school.cohortStudent, id, "in_progress");
    refused(school.mentorA, id, "in_progress");
    assertEquals("open", move(school.mentorA, id, "open").getString("status"), "nobody had started");

    move(school.cohortStudent, id, "in_progress");
    assertEquals("cancelled", move(school.admin, id, "cancelled").getString("status"));
    assertEquals("in_progress", move(school.admin, id, "open").getString("status"));

    move(school.cohortStudent, id, "done");
    move(classmate, id, "in_progress");
    move(classmate, id, "done");
    assertEquals("cancelled", move(school.mentorA, id, "cancelled").getString("status"), "even a done task");
    assertEquals("done", move(school.mentorA, id, "open").getString("status"));
  }

  @Test
  @DisplayName("a student who joins the cohort later is not an assignee of its earlier tasks")
  void laterMemberNotAssigned() {
    // a cohort of its own, so the shared cohort keeps its two members for the other tests
    Api.Response cohort = api.post("/api/cohorts", school.admin.token(), new JsonObject().put("name", "Later cohort")
      .put("mentorIds", new io.vertx.core.json.JsonArray().add(school.mentorA.id())));
    assertEquals(201, cohort.status(), cohort::toString);
    long cohortId = cohort.json().getLong("id");
    School.Member early = school.register("early@school.test", "Early", cohortId);
    long id = create(api, school.mentorA.token(), new JsonObject().put("cohortId", cohortId)
      .put("title", "Before you came")).getLong("id");
    School.Member late = school.register("late@school.test", "Late", cohortId);
    assertEquals(404, setStatus(api, late.token(), id, "in_progress").status());
    assertFalse(api.get("/api/tasks", late.token()).items().stream()
      .anyMatch(t -> ((JsonObject) t).getLong("id") == id));
    assertEquals(List.of(Long.toString(early.id())),
      strings(portal.database(), "SELECT student_id::text FROM task_assignees WHERE task_id = " + id));
    // and the task is done without them
    move(early, id, "in_progress");
    assertEquals("done", move(early, id, "done").getString("status"));
  }

  @Test
  @DisplayName("task:assigned for a student task goes to exactly student:{s} and mentor:{m} and notifies the student only")
  void studentTaskEvent() {
    long id = create(api, school.mentorA.token(), new JsonObject().put("studentId", school.studentA.id())
      .put("title", "Evented task").put("dueAt", "2026-12-02T09:00:00-05:00")).getLong("id");
    String feed = "FROM activity_feed WHERE event_type = 'task:assigned' AND target_type = 'task' AND target_id = " + id;
    assertEquals(1, awaitCount(portal.database(), "SELECT count(*) " + feed, 1));
    assertEquals(List.of("student:" + school.studentA.id() + ",mentor:" + school.mentorA.id()),
      strings(portal.database(), "SELECT array_to_string(rooms, ',') " + feed));
    assertEquals(List.of(Long.toString(school.mentorA.id())), strings(portal.database(), "SELECT actor_id::text " + feed));
    JsonObject data = new JsonObject(strings(portal.database(), "SELECT data::text " + feed).get(0));
    assertEquals(id, data.getJsonObject("task").getLong("id"));
    assertEquals("2026-12-02T14:00:00Z", data.getJsonObject("task").getString("dueAt"));
    assertEquals(1, data.getJsonObject("task").getInteger("assigneeCount"));

    String notes = "FROM notifications n JOIN activity_feed f ON f.id = n.event_id WHERE f.target_type = 'task'"
      + " AND f.target_id = " + id;
    assertEquals(1, awaitCount(portal.database(), "SELECT count(*) " + notes, 1));
    assertEquals(List.of(school.studentA.id() + "|task:assigned|New task: Evented task|Due 2026-12-02T14:00:00Z"),
      strings(portal.database(), "SELECT n.user_id || '|' || n.type || '|' || n.title || '|' || n.body " + notes));

    // the student and the mentor see it in their event stream, another student does not
    assertTrue(eventIds(school.studentA).contains(id));
    assertTrue(eventIds(school.mentorA).contains(id));
    assertFalse(eventIds(school.studentB).contains(id));
    assertFalse(eventIds(school.mentorB).contains(id));
  }

  @Test
  @DisplayName("task:assigned for a cohort task goes to exactly cohort:{c} and mentor:{m}, notifies every member, and lists no classmates")
  void cohortTaskEvent() {
    long id = create(api, school.admin.token(), new JsonObject().put("cohortId", school.cohortId)
      .put("mentorId", school.mentorA.id()).put("title", "Cohort evented")).getLong("id");
    String feed = "FROM activity_feed WHERE event_type = 'task:assigned' AND target_type = 'task' AND target_id = " + id;
    assertEquals(1, awaitCount(portal.database(), "SELECT count(*) " + feed, 1));
    assertEquals(List.of("cohort:" + school.cohortId + ",mentor:" + school.mentorA.id()),
      strings(portal.database(), "SELECT array_to_string(rooms, ',') " + feed));
    assertEquals(List.of("admin"), strings(portal.database(), "SELECT actor_role " + feed));
    JsonObject task = new JsonObject(strings(portal.database(), "SELECT data::text " + feed).get(0)).getJsonObject("task");
    assertFalse(task.containsKey("assignees"));
    long members = portal.database().count("SELECT count(*) FROM users WHERE cohort_id = " + school.cohortId);
    assertEquals(members, task.getLong("assigneeCount"));

    String notes = "FROM notifications n JOIN activity_feed f ON f.id = n.event_id WHERE f.target_type = 'task'"
      + " AND f.target_id = " + id;
    assertEquals(members, awaitCount(portal.database(), "SELECT count(*) " + notes, members));
    assertEquals(strings(portal.database(), "SELECT id::text FROM users WHERE cohort_id = " + school.cohortId + " ORDER BY id"),
      strings(portal.database(), "SELECT n.user_id::text " + notes + " ORDER BY n.user_id"));
    assertEquals(0, portal.database().count("SELECT count(*) " + notes + " AND n.user_id IN ("
      + school.mentorA.id() + ", " + school.admin.id() + ")"));
    assertTrue(eventIds(classmate).contains(id));
    assertFalse(eventIds(school.studentA).contains(id));
  }

  @Test
  @DisplayName("a student's progress is a task:progressed event on exactly student:{s} and mentor:{m} that notifies the mentor in words; a mentor's cancel is no event")
  void progressReachesTheMentor() {
    long id = create(api, school.mentorA.token(), new JsonObject().put("studentId", school.studentA.id())
      .put("title", "Progress told")).getLong("id");
    String feed = "FROM activity_feed WHERE event_type = 'task:progressed' AND target_id = " + id;
    move(school.studentA, id, "in_progress");
    move(school.studentA, id, "done");
    move(school.studentA, id, "in_progress");
    assertEquals(3, awaitCount(portal.database(), "SELECT count(*) " + feed, 3));
    assertEquals(Set.of("student:" + school.studentA.id() + ",mentor:" + school.mentorA.id()),
      new TreeSet<>(strings(portal.database(), "SELECT array_to_string(rooms, ',') " + feed)));
    JsonObject last = new JsonObject(strings(portal.database(), "SELECT data::text " + feed + " ORDER BY seq DESC").get(0));
    assertEquals("in_progress", last.getJsonObject("assignee").getString("status"));
    assertEquals("done", last.getString("previousProgress"));
    assertEquals("Student A", last.getString("studentName"));
    assertNull(last.getJsonObject("task").getValue("assignees"), "the event lists no assignees");

    String notes = "FROM notifications n JOIN activity_feed f ON f.id = n.event_id WHERE f.event_type = 'task:progressed'"
      + " AND f.target_id = " + id;
    assertEquals(3, awaitCount(portal.database(), "SELECT count(*) " + notes, 3));
    assertEquals(List.of(
        school.mentorA.id() + "|Student A started “Progress told”|Work on the task is under way.",
        school.mentorA.id() + "|Student A finished “Progress told”|The task is complete.",
        school.mentorA.id() + "|Student A reopened “Progress told”|Work on the task is under way."),
      strings(portal.database(), "SELECT n.user_id || '|' || n.title || '|' || n.body " + notes + " ORDER BY n.id"));

    // in the recovery stream of the student and the mentor only
    assertTrue(eventIds(school.mentorA, "task:progressed").contains(id));
    assertTrue(eventIds(school.studentA, "task:progressed").contains(id));
    assertFalse(eventIds(school.mentorB, "task:progressed").contains(id));
    assertFalse(eventIds(school.studentB, "task:progressed").contains(id));

    move(school.mentorA, id, "cancelled");
    portal.database().awaitSettled();
    assertEquals(3, portal.database().count("SELECT count(*) " + feed));
    assertEquals(4, portal.database().count("SELECT count(*) FROM audit_logs WHERE entity_type = 'task'"
      + " AND action = 'change_status' AND entity_id = " + id));
  }

  @Test
  @DisplayName("a cohort member's progress reaches their own room and the mentor's, never the cohort's, and tells the mentor how many have finished")
  void cohortProgressStaysPrivate() {
    long id = create(api, school.mentorA.token(), new JsonObject().put("cohortId", school.cohortId)
      .put("title", "Cohort progress")).getLong("id");
    long members = portal.database().count("SELECT count(*) FROM users WHERE cohort_id = " + school.cohortId);
    awaitCount(portal.database(), "SELECT count(*) FROM task_assignees WHERE task_id = " + id, members);
    move(classmate, id, "in_progress");
    move(classmate, id, "done");
    String feed = "FROM activity_feed WHERE event_type = 'task:progressed' AND target_id = " + id;
    assertEquals(2, awaitCount(portal.database(), "SELECT count(*) " + feed, 2));
    assertEquals(Set.of("student:" + classmate.id() + ",mentor:" + school.mentorA.id()),
      new TreeSet<>(strings(portal.database(), "SELECT array_to_string(rooms, ',') " + feed)));
    String notes = "FROM notifications n JOIN activity_feed f ON f.id = n.event_id WHERE f.event_type = 'task:progressed'"
      + " AND f.target_id = " + id;
    assertEquals(2, awaitCount(portal.database(), "SELECT count(*) " + notes, 2));
    assertEquals(List.of("Classmate finished “Cohort progress”|1 of " + members + " students have finished it."),
      strings(portal.database(), "SELECT n.title || '|' || n.body " + notes + " AND n.title LIKE '%finished%'"));
    assertEquals(0, portal.database().count("SELECT count(*) " + notes + " AND n.user_id <> " + school.mentorA.id()));
    assertFalse(eventIds(school.cohortStudent, "task:progressed").contains(id), "a classmate does not hear of it");
    assertTrue(eventIds(classmate, "task:progressed").contains(id));
  }

  /** The ids of task events the member may see, from /api/events (the recovery API). */
  private static List<Long> eventIds(School.Member who) {
    return eventIds(who, "task:assigned");
  }

  private static List<Long> eventIds(School.Member who, String type) {
    Api.Response r = api.get("/api/events?after=0&limit=500", who.token());
    assertEquals(200, r.status(), r::toString);
    return r.items().stream().map(o -> (JsonObject) o)
      .filter(e -> type.equals(e.getString("type")))
      .map(e -> e.getJsonObject("target").getLong("id")).toList();
  }
}
