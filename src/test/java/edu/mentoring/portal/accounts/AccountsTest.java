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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Accounts: sign-up, sign-in, roles")
class AccountsTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static JsonObject registration(String email) {
    return new JsonObject().put("email", email).put("password", "correct-horse-1").put("name", "New Student");
  }

  @Test
  @DisplayName("a newcomer registers as a student, signs in and reads their own account; no password comes back")
  void registerLoginMe() {
    Api.Response reg = api.post("/api/auth/register", null, registration("newcomer@school.test"));
    assertEquals(201, reg.status(), reg::toString);
    JsonObject user = reg.json().getJsonObject("user");
    assertEquals("student", user.getString("role"));
    assertNotNull(reg.json().getString("token"));
    assertFalse(reg.raw().toString().contains("correct-horse-1"));
    assertFalse(reg.raw().toString().toLowerCase().contains("hash"));

    String token = api.login("NewComer@School.test", "correct-horse-1");
    Api.Response me = api.get("/api/auth/me", token);
    assertEquals(200, me.status());
    assertEquals(user.getLong("id"), me.json().getLong("id"));
    assertEquals("newcomer@school.test", me.json().getString("email"));
    assertNull(me.json().getValue("password"));
    assertNull(me.json().getValue("passwordHash"));
  }

  @Test
  @DisplayName("the password is stored as a salted bcrypt hash, never in clear")
  void passwordHashed() throws Exception {
    api.post("/api/auth/register", null, registration("hash-a@school.test"));
    api.post("/api/auth/register", null, registration("hash-b@school.test"));
    try (var c = portal.database().jdbc(); var s = c.createStatement();
         var rs = s.executeQuery("SELECT password_hash FROM users WHERE email LIKE 'hash-%' ORDER BY email")) {
      rs.next();
      String a = rs.getString(1);
      rs.next();
      String b = rs.getString(1);
      assertTrue(a.startsWith("$2"), a);
      assertFalse(a.contains("correct-horse-1"));
      assertFalse(a.equals(b), "same password, different salt");
    }
  }

  @Test
  @DisplayName("an email already taken, in any letter case, is refused with 409 and nothing is written")
  void duplicateEmail() {
    assertEquals(201, api.post("/api/auth/register", null, registration("dup@school.test")).status());
    long before = portal.database().count("SELECT count(*) FROM users");
    Api.Response again = api.post("/api/auth/register", null, registration("DUP@School.Test"));
    assertEquals(409, again.status(), again::toString);
    assertEquals("conflict", again.errorCode());
    assertEquals(before, portal.database().count("SELECT count(*) FROM users"));
  }

  @Test
  @DisplayName("a wrong password and an unknown email both get the same 401")
  void loginMismatch() {
    api.post("/api/auth/register", null, registration("login@school.test"));
    Api.Response wrong = api.post("/api/auth/login", null,
      new JsonObject().put("email", "login@school.test").put("password", "not-the-password"));
    Api.Response unknown = api.post("/api/auth/login", null,
      new JsonObject().put("email", "nobody@school.test").put("password", "not-the-password"));
    assertEquals(401, wrong.status());
    assertEquals(401, unknown.status());
    assertEquals("unauthorized", wrong.errorCode());
    assertEquals(wrong.json(), unknown.json());
  }

  @Test
  @DisplayName("sign-ins and failed sign-ins are in the audit log")
  void signInsAudited() {
    api.post("/api/auth/register", null, registration("audited@school.test"));
    api.login("audited@school.test", "correct-horse-1");
    api.post("/api/auth/login", null, new JsonObject().put("email", "audited@school.test").put("password", "nope-nope"));
    long okay = portal.database().count("SELECT count(*) FROM audit_logs WHERE action = 'login'"
      + " AND entity_id = (SELECT id FROM users WHERE email = 'audited@school.test')");
    long failed = portal.database().count("SELECT count(*) FROM audit_logs WHERE action = 'login_failed'"
      + " AND detail->>'email' = 'audited@school.test'");
    // the audit record is fire-and-forget: give it a moment
    for (int i = 0; i < 50 && (okay == 0 || failed == 0); i++) {
      sleep(100);
      okay = portal.database().count("SELECT count(*) FROM audit_logs WHERE action = 'login'"
        + " AND entity_id = (SELECT id FROM users WHERE email = 'audited@school.test')");
      failed = portal.database().count("SELECT count(*) FROM audit_logs WHERE action = 'login_failed'"
        + " AND detail->>'email' = 'audited@school.test'");
    }
    assertEquals(1, okay);
    assertEquals(1, failed);
  }

  @Test
  @DisplayName("registration checks every field and names each problem")
  void registrationValidation() {
    Api.Response r = api.post("/api/auth/register", null,
      new JsonObject().put("email", "not-an-email").put("password", "short").put("name", 42));
    assertEquals(400, r.status());
    assertEquals("validation_failed", r.errorCode());
    JsonArray details = r.json().getJsonObject("error").getJsonArray("details");
    assertEquals(3, details.size(), details::encode);
    Api.Response nul = api.post("/api/auth/register", null, registration("nul@school.test").put("name", "a\u0000b"));
    assertEquals(400, nul.status());
    Api.Response noCohort = api.post("/api/auth/register", null, registration("cohortless@school.test")
      .put("cohortId", 999999));
    assertEquals(400, noCohort.status(), noCohort::toString);
    assertEquals(0, portal.database().count("SELECT count(*) FROM users WHERE email IN ('nul@school.test', 'cohortless@school.test')"));
  }

  @Test
  @DisplayName("only an admin creates mentors and admins; students and mentors get 403, anonymous 401")
  void adminCreatesUsers() {
    JsonObject mentor = new JsonObject().put("email", "new-mentor@school.test").put("password", "mentor-pass-1")
      .put("name", "New Mentor").put("role", "mentor");
    assertEquals(401, api.post("/api/users", null, mentor).status());
    assertEquals(403, api.post("/api/users", school.studentA.token(), mentor).status());
    assertEquals(403, api.post("/api/users", school.mentorA.token(), mentor).status());
    assertEquals(0, portal.database().count("SELECT count(*) FROM users WHERE email = 'new-mentor@school.test'"));
    Api.Response created = api.post("/api/users", school.admin.token(), mentor);
    assertEquals(201, created.status(), created::toString);
    assertEquals("mentor", created.json().getString("role"));
    String token = api.login("new-mentor@school.test", "mentor-pass-1");
    assertEquals("mentor", api.get("/api/auth/me", token).json().getString("role"));
    Api.Response badRole = api.post("/api/users", school.admin.token(), mentor.copy()
      .put("email", "x@school.test").put("role", "superuser"));
    assertEquals(400, badRole.status());
  }

  @Test
  @DisplayName("a mentor lists only their own students (assigned or in their cohort); students may not list")
  void mentorSeesOwnStudents() {
    JsonArray items = api.get("/api/students", school.mentorA.token()).items();
    var ids = items.stream().map(o -> ((JsonObject) o).getLong("id")).toList();
    assertTrue(ids.contains(school.studentA.id()));
    assertTrue(ids.contains(school.cohortStudent.id()));
    assertFalse(ids.contains(school.studentB.id()));
    assertEquals(403, api.get("/api/students", school.studentA.token()).status());
    assertTrue(api.get("/api/students", school.admin.token()).items().size() >= 3);
  }

  @Test
  @DisplayName("cohorts: admin creates with mentors; each role sees only the cohorts it belongs to")
  void cohorts() {
    Api.Response bad = api.post("/api/cohorts", school.admin.token(), new JsonObject().put("name", "No mentors")
      .put("mentorIds", new JsonArray().add(school.studentA.id())));
    assertEquals(400, bad.status(), bad::toString);
    assertEquals(403, api.post("/api/cohorts", school.mentorA.token(), new JsonObject().put("name", "X")
      .put("mentorIds", new JsonArray().add(school.mentorA.id()))).status());
    assertEquals(1, api.get("/api/cohorts", school.mentorA.token()).items().size());
    assertEquals(0, api.get("/api/cohorts", school.mentorB.token()).items().size());
    assertEquals(school.cohortId, api.get("/api/cohorts", school.cohortStudent.token()).items()
      .getJsonObject(0).getLong("id"));
    assertEquals(0, api.get("/api/cohorts", school.studentB.token()).items().size());
  }

  @Test
  @DisplayName("assigning a mentor needs a real mentor and a real student")
  void assignMentor() {
    String admin = school.admin.token();
    assertEquals(400, api.put("/api/students/" + school.studentA.id() + "/mentor", admin,
      new JsonObject().put("mentorId", school.studentB.id())).status());
    assertEquals(404, api.put("/api/students/" + school.mentorA.id() + "/mentor", admin,
      new JsonObject().put("mentorId", school.mentorB.id())).status());
    assertEquals(404, api.put("/api/students/abc/mentor", admin, new JsonObject().put("mentorId", 1)).status());
    assertEquals(403, api.put("/api/students/" + school.studentA.id() + "/mentor", school.mentorB.token(),
      new JsonObject().put("mentorId", school.mentorB.id())).status());
    Api.Response moved = api.put("/api/students/" + school.studentA.id() + "/mentor", admin,
      new JsonObject().put("mentorId", school.mentorA.id()));
    assertEquals(200, moved.status());
    assertEquals(school.mentorA.id(), moved.json().getLong("mentorId"));
  }

  @Test
  @DisplayName("a session for a student waits for a reassignment of that student to end (its claim follows their cohort), then goes through with its notification")
  void sessionWaitsForAReassignment() throws Exception {
    try (java.sql.Connection c = portal.database().jdbc(); java.sql.Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      // the row lock a reassignment takes, held while a session for the student is created
      s.executeQuery(AccountSql.USER_BY_ID_FOR_UPDATE.replace("#{id}", Long.toString(school.studentA.id())));
      java.util.concurrent.CompletableFuture<Api.Response> created = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> api.post("/api/schedules", school.mentorA.token(), new JsonObject().put("title", "Not held up")
          .put("studentId", school.studentA.id()).put("startTime", "2031-03-03T10:00:00Z")
          .put("endTime", "2031-03-03T11:00:00Z")));
      sleep(300);
      assertTrue(!created.isDone(), "waits while the student's relationships are being changed");
      c.rollback();
      Api.Response r = created.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(201, r.status(), r::toString);
    }
    portal.database().awaitCount("SELECT count(*) FROM notifications n JOIN activity_feed f"
      + " ON f.id = n.event_id WHERE n.user_id = " + school.studentA.id()
      + " AND f.data->'schedule'->>'title' = 'Not held up'", 1);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
