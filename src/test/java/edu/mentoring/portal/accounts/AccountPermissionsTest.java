package edu.mentoring.portal.accounts;

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
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every account, cohort and audit route against the six callers of the permission matrix — the student it is
 * about (owner), another student, their mentor, another mentor, an admin, anonymous — with the database unchanged
 * wherever the call is refused; and bad input on each.
 */
@DisplayName("Accounts, cohorts and the audit log: permission matrix and bad input")
class AccountPermissionsTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  /** What a refused call must not change: accounts, relationships, cohorts. */
  private static String state() {
    return portal.database().count("SELECT count(*) FROM users") + "/"
      + portal.database().count("SELECT coalesce(sum(coalesce(mentor_id, 0) * 7 + coalesce(cohort_id, 0) * 13 + id), 0) FROM users") + "/"
      + portal.database().count("SELECT count(*) FROM cohorts") + "/"
      + portal.database().count("SELECT count(*) FROM cohort_mentors");
  }

  private record Caller(String name, Function<School, String> token) {
  }

  private static final Caller OWNER = new Caller("the student (owner)", s -> s.studentA.token());
  private static final Caller OTHER_STUDENT = new Caller("another student", s -> s.studentB.token());
  private static final Caller MENTOR = new Caller("their mentor", s -> s.mentorA.token());
  private static final Caller OTHER_MENTOR = new Caller("another mentor", s -> s.mentorB.token());
  private static final Caller ADMIN = new Caller("an admin", s -> s.admin.token());
  private static final Caller ANONYMOUS = new Caller("anonymous", s -> null);

  private interface Call {
    Api.Response apply(String token);
  }

  /** Asserts the status for a caller; for a refusal, also that nothing changed. */
  private static void expect(Caller caller, int status, Call call) {
    String before = state();
    Api.Response r = call.apply(caller.token().apply(school));
    assertEquals(status, r.status(), () -> caller.name() + ": " + r);
    if (status >= 400) {
      assertEquals(before, state(), caller.name() + " changed the database");
      assertTrue(r.json().getJsonObject("error").getString("code") != null);
    }
  }

  /** The whole matrix for one call: expected statuses for owner, another student, mentor, another mentor, admin, anonymous. */
  private static void matrix(Call call, int owner, int otherStudent, int mentor, int otherMentor, int admin, int anonymous) {
    expect(OWNER, owner, call);
    expect(OTHER_STUDENT, otherStudent, call);
    expect(MENTOR, mentor, call);
    expect(OTHER_MENTOR, otherMentor, call);
    expect(ANONYMOUS, anonymous, call);
    expect(ADMIN, admin, call); // last: it is the call that may change something
  }

  @Test
  @DisplayName("POST /users: only an admin creates accounts")
  void createUser() {
    Call call = t -> api.post("/api/users", t, new JsonObject().put("email", "m-" + System.nanoTime() + "@school.test")
      .put("password", "password-123").put("name", "New Mentor").put("role", "mentor"));
    matrix(call, 403, 403, 403, 403, 201, 401);
  }

  @Test
  @DisplayName("GET /students: mentors see theirs, admins all, students and anonymous nothing")
  void listStudents() {
    Call call = t -> api.get("/api/students", t);
    matrix(call, 403, 403, 200, 200, 200, 401);
    assertTrue(api.get("/api/students", school.mentorB.token()).items().stream()
      .noneMatch(o -> ((JsonObject) o).getLong("id") == school.studentA.id()), "another mentor does not see A");
  }

  @Test
  @DisplayName("GET /mentors: only an admin lists the mentors (to choose one), and gets nobody else")
  void listMentors() {
    Call call = t -> api.get("/api/mentors", t);
    matrix(call, 403, 403, 403, 403, 200, 401);
    List<JsonObject> mentors = api.get("/api/mentors", school.admin.token()).items().stream()
      .map(o -> (JsonObject) o).toList();
    assertTrue(mentors.stream().allMatch(m -> "mentor".equals(m.getString("role"))), "only mentors");
    assertTrue(mentors.stream().anyMatch(m -> m.getLong("id") == school.mentorA.id()));
    assertTrue(mentors.stream().anyMatch(m -> m.getLong("id") == school.mentorB.id()));
  }

  @Test
  @DisplayName("PUT /students/{id}/mentor and /cohort: only an admin reassigns")
  void reassign() {
    Call mentor = t -> api.put("/api/students/" + school.studentA.id() + "/mentor", t,
      new JsonObject().put("mentorId", school.mentorA.id()));
    Call cohort = t -> api.put("/api/students/" + school.studentA.id() + "/cohort", t,
      new JsonObject().putNull("cohortId"));
    matrix(mentor, 403, 403, 403, 403, 200, 401);
    matrix(cohort, 403, 403, 403, 403, 200, 401);
  }

  @Test
  @DisplayName("POST /cohorts: only an admin; GET /cohorts: each caller sees their own cohorts")
  void cohorts() {
    Call create = t -> api.post("/api/cohorts", t, new JsonObject().put("name", "C " + System.nanoTime())
      .put("mentorIds", new JsonArray().add(school.mentorB.id())));
    matrix(create, 403, 403, 403, 403, 201, 401);
    matrix(t -> api.get("/api/cohorts", t), 200, 200, 200, 200, 200, 401);
    assertEquals(0, api.get("/api/cohorts", school.studentA.token()).items().size(), "studentA is in no cohort");
    assertEquals(1, api.get("/api/cohorts", school.mentorA.token()).items().size());
    assertTrue(api.get("/api/cohorts", school.admin.token()).items().size() >= 2);
  }

  @Test
  @DisplayName("GET /audit-logs: admins only; filters by entity and pages newest first")
  void auditLogs() {
    Call call = t -> api.get("/api/audit-logs", t);
    matrix(call, 403, 403, 403, 403, 200, 401);

    JsonArray mine = api.get("/api/audit-logs?entityType=user&entityId=" + school.studentA.id(), school.admin.token()).items();
    assertTrue(mine.size() >= 2, "registration and reassignment are audited: " + mine.encode());
    for (Object o : mine) {
      JsonObject row = (JsonObject) o;
      assertEquals("user", row.getString("entityType"));
      assertEquals(school.studentA.id(), row.getLong("entityId"));
    }
    JsonObject assign = mine.stream().map(o -> (JsonObject) o)
      .filter(r -> "assign_mentor".equals(r.getString("action"))).findFirst().orElseThrow();
    assertTrue(assign.getJsonObject("oldValue") != null && assign.getJsonObject("newValue") != null,
      "a change records old and new values");

    Api.Response page = api.get("/api/audit-logs?limit=2", school.admin.token());
    assertEquals(2, page.items().size());
    long next = page.json().getLong("nextBefore");
    JsonArray second = api.get("/api/audit-logs?limit=2&before=" + next, school.admin.token()).items();
    assertTrue(second.getJsonObject(0).getLong("id") < next);
    // a cursor only when another page exists: a page that ends exactly at the last row carries none
    long total = api.get("/api/audit-logs?limit=200&entityType=user&entityId=" + school.studentA.id(),
      school.admin.token()).items().size();
    Api.Response exact = api.get("/api/audit-logs?limit=" + total + "&entityType=user&entityId=" + school.studentA.id(),
      school.admin.token());
    assertEquals(total, exact.items().size());
    assertTrue(!exact.json().containsKey("nextBefore"), "no cursor to an empty page: " + exact);
    Api.Response shorter = api.get("/api/audit-logs?limit=" + (total - 1) + "&entityType=user&entityId="
      + school.studentA.id(), school.admin.token());
    assertTrue(shorter.json().containsKey("nextBefore"), "a cursor when one row is left");
    // refused access is itself in the trail
    assertTrue(api.get("/api/audit-logs?action=access_denied", school.admin.token()).items().size() > 0);
    for (String bad : new String[]{"limit=0", "limit=abc", "before=-3", "entityId=x", "entityType=" + "t".repeat(60)}) {
      Api.Response r = api.get("/api/audit-logs?" + bad, school.admin.token());
      assertEquals(400, r.status(), bad);
      assertEquals("validation_failed", r.errorCode());
    }
  }

  @Test
  @DisplayName("bad input on account routes is a 400 naming the fields, and writes nothing")
  void badInput() {
    String admin = school.admin.token();
    String before = state();
    JsonObject[] users = {
      new JsonObject(),
      new JsonObject().put("email", 12).put("password", true).put("name", new JsonArray()).put("role", 1),
      new JsonObject().put("email", "a@school.test").put("password", "password-123").put("name", "x".repeat(201)).put("role", "mentor"),
      new JsonObject().put("email", "b\u0000@school.test").put("password", "password-123").put("name", "B").put("role", "mentor"),
      new JsonObject().put("email", "c@school.test").put("password", "p".repeat(100)).put("name", "C").put("role", "mentor"),
      new JsonObject().put("email", "d@school.test").put("password", "password-123").put("name", "D").put("role", "root")};
    for (JsonObject body : users) {
      Api.Response r = api.post("/api/users", admin, body);
      assertEquals(400, r.status(), body::encode);
      assertTrue(r.json().getJsonObject("error").getJsonArray("details").size() >= 1);
    }
    JsonObject[] cohorts = {
      new JsonObject().put("name", "X"),
      new JsonObject().put("name", "X").put("mentorIds", "1,2"),
      new JsonObject().put("name", "X").put("mentorIds", new JsonArray()),
      new JsonObject().put("name", "X").put("mentorIds", new JsonArray().add(-1)),
      new JsonObject().put("name", "X\u0000").put("mentorIds", new JsonArray().add(school.mentorA.id())),
      new JsonObject().put("name", "y".repeat(201)).put("mentorIds", new JsonArray().add(school.mentorA.id()))};
    for (JsonObject body : cohorts) {
      assertEquals(400, api.post("/api/cohorts", admin, body).status(), body::encode);
    }
    assertEquals(400, api.put("/api/students/" + school.studentA.id() + "/mentor", admin, new JsonObject()).status());
    assertEquals(400, api.put("/api/students/" + school.studentA.id() + "/mentor", admin,
      new JsonObject().put("mentorId", "seven")).status());
    assertEquals(400, api.put("/api/students/" + school.studentA.id() + "/cohort", admin,
      new JsonObject().put("cohortId", 424242)).status());
    assertEquals(404, api.put("/api/students/99999999/cohort", admin, new JsonObject().putNull("cohortId")).status());
    assertEquals(before, state());
  }
}
