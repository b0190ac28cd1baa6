package edu.mentoring.portal.accounts;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.http.HttpHygieneTest;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Enrolment by invitation: only a valid cohort invitation places a new student in a cohort")
class InvitationTest {
  private static TestPortal portal;
  private static Api api;
  private static Staff school;

  /** Who the tests need: an admin, mentorA of the cohort, mentorB of none, and a student of the cohort. */
  record Staff(Member admin, Member mentorA, Member mentorB, Member cohortStudent, long cohortId) {
    String invite(long cohort, int uses) {
      return InvitationTest.invite(admin.token(), cohort, new JsonObject().put("maxUses", uses)).getString("code");
    }
  }

  record Member(long id, String token) {
  }

  /** The portal's default (PORTAL_SELF_REGISTRATION=invitation): signing up needs a valid invitation. */
  @BeforeAll
  static void start() {
    portal = TestPortal.start(Map.of(PortalConfig.SELF_REGISTRATION, "invitation"));
    api = portal.api();
    String adminToken = api.login(TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    Member admin = new Member(api.get("/api/auth/me", adminToken).json().getLong("id"), adminToken);
    Member mentorA = mentor(adminToken, "a");
    Member mentorB = mentor(adminToken, "b");
    Api.Response cohort = api.post("/api/cohorts", adminToken, new JsonObject().put("name", "Invited cohort")
      .put("mentorIds", new io.vertx.core.json.JsonArray().add(mentorA.id())));
    assertEquals(201, cohort.status(), cohort::toString);
    long cohortId = cohort.json().getLong("id");
    String code = invite(adminToken, cohortId, new JsonObject().put("maxUses", 1)).getString("code");
    Api.Response student = api.post("/api/auth/register", null, signUp("member").put("invitation", code));
    assertEquals(201, student.status(), student::toString);
    school = new Staff(admin, mentorA, mentorB, new Member(student.json().getJsonObject("user").getLong("id"),
      student.json().getString("token")), cohortId);
  }

  @AfterAll
  static void stop() {
    portal.close();
  }

  private static Member mentor(String adminToken, String tag) {
    String email = "mentor-" + tag + "@school.test";
    Api.Response r = api.post("/api/users", adminToken, new JsonObject().put("email", email)
      .put("password", School.PASSWORD).put("name", "Mentor " + tag).put("role", "mentor"));
    assertEquals(201, r.status(), r::toString);
    return new Member(r.json().getLong("id"), api.login(email, School.PASSWORD));
  }

  private static JsonObject signUp(String tag) {
    return new JsonObject().put("email", tag + "-" + UUID.randomUUID().toString().substring(0, 6) + "@school.test")
      .put("password", "password-123").put("name", "Invited " + tag);
  }

  private static JsonObject invite(String token, long cohortId, JsonObject options) {
    Api.Response r = api.post("/api/cohorts/" + cohortId + "/invitations", token, options);
    assertEquals(201, r.status(), r::toString);
    return r.json();
  }

  private static long users(JsonObject signUp) {
    return portal.database().count("SELECT count(*) FROM users WHERE email = '" + signUp.getString("email") + "'");
  }

  @Test
  @DisplayName("without an invitation, or naming a cohortId, sign-up is refused with 400 and creates nothing")
  void refusedWithout() {
    JsonObject bare = signUp("bare");
    Api.Response r = api.post("/api/auth/register", null, bare);
    assertEquals("invitation", HttpHygieneTest.assertError(r, 400, "validation_failed").getJsonArray("details")
      .getJsonObject(0).getString("field"));
    JsonObject guessed = signUp("guessed").put("cohortId", school.cohortId);
    HttpHygieneTest.assertError(api.post("/api/auth/register", null, guessed), 400, "validation_failed");
    JsonObject both = signUp("both").put("cohortId", school.cohortId)
      .put("invitation", school.invite(school.cohortId, 1));
    HttpHygieneTest.assertError(api.post("/api/auth/register", null, both), 400, "validation_failed");
    assertEquals(0, users(bare) + users(guessed) + users(both));
  }

  @Test
  @DisplayName("a valid invitation joins its cohort at sign-up: the student sees the cohort and may join its room")
  void joins() {
    JsonObject inv = invite(school.mentorA.token(), school.cohortId, new JsonObject().put("maxUses", 5));
    assertNotNull(inv.getString("code"));
    assertTrue(inv.getString("code").length() >= 20, "128 random bits");
    assertEquals("/?invitation=" + inv.getString("code"), inv.getString("link"));
    Api.Response r = api.post("/api/auth/register", null, signUp("joins").put("invitation", inv.getString("code")));
    assertEquals(201, r.status(), r::toString);
    assertEquals(school.cohortId, r.json().getJsonObject("user").getLong("cohortId"));
    String token = r.json().getString("token");
    assertEquals(1, api.get("/api/cohorts", token).items().size());
    JsonObject listed = api.get("/api/cohorts/" + school.cohortId + "/invitations", school.admin.token()).items()
      .stream().map(JsonObject.class::cast).filter(i -> i.getLong("id").equals(inv.getLong("id"))).findFirst().orElseThrow();
    assertEquals(1, listed.getInteger("uses"));
    assertFalse(listed.containsKey("code"), "a code is shown once, at issue");
    // only its hash is kept, and the audit trail never holds it
    assertEquals(0, portal.database().count("SELECT count(*) FROM invitations WHERE code_hash = '" + inv.getString("code") + "'"));
    assertEquals(0, portal.database().count("SELECT count(*) FROM audit_logs WHERE new_value::text LIKE '%"
      + inv.getString("code") + "%'"));
  }

  @Test
  @DisplayName("a used-up, revoked, expired or unknown invitation is refused with 400 and creates nothing")
  void invalid() {
    JsonObject once = invite(school.admin.token(), school.cohortId, new JsonObject().put("maxUses", 1));
    assertEquals(201, api.post("/api/auth/register", null, signUp("first").put("invitation", once.getString("code"))).status());
    JsonObject usedUp = signUp("second").put("invitation", once.getString("code"));

    JsonObject revoked = invite(school.mentorA.token(), school.cohortId, new JsonObject());
    assertEquals(204, api.delete("/api/invitations/" + revoked.getLong("id"), school.mentorA.token()).status());
    JsonObject afterRevoke = signUp("revoked").put("invitation", revoked.getString("code"));

    JsonObject expired = invite(school.admin.token(), school.cohortId, new JsonObject().put("expiresInHours", 1));
    portal.database().count("WITH x AS (UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = "
      + expired.getLong("id") + " RETURNING 1) SELECT count(*) FROM x");
    JsonObject afterExpiry = signUp("expired").put("invitation", expired.getString("code"));
    JsonObject unknown = signUp("unknown").put("invitation", "not-a-code-anyone-issued");

    for (JsonObject body : List.of(usedUp, afterRevoke, afterExpiry, unknown)) {
      JsonObject error = HttpHygieneTest.assertError(api.post("/api/auth/register", null, body), 400, "validation_failed");
      assertEquals("invitation", error.getJsonArray("details").getJsonObject(0).getString("field"));
      assertEquals(0, users(body));
    }
  }

  @Test
  @DisplayName("racing sign-ups for the last uses of an invitation: exactly maxUses (2) of 6 succeed")
  void lastUseRace() {
    JsonObject inv = invite(school.admin.token(), school.cohortId, new JsonObject().put("maxUses", 2));
    Api many = new Api(portal.node().vertx(), portal.port(), 6);
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sent.add(many.postAsync("/api/auth/register", null, signUp("race" + i).put("invitation", inv.getString("code"))));
    }
    Future.join(sent).await();
    long created = sent.stream().filter(f -> f.result().status() == 201).count();
    sent.stream().filter(f -> f.result().status() != 201)
      .forEach(f -> assertEquals(400, f.result().status(), f.result()::toString));
    assertEquals(2, created);
    assertEquals(2, portal.database().count("SELECT uses FROM invitations WHERE id = " + inv.getLong("id")));
  }

  @Test
  @DisplayName("admins and the cohort's own mentors issue invitations; another mentor gets 404, a student 403, anonymous 401")
  void whoInvites() {
    String path = "/api/cohorts/" + school.cohortId + "/invitations";
    assertEquals(201, api.post(path, school.admin.token(), new JsonObject()).status());
    assertEquals(201, api.post(path, school.mentorA.token(), new JsonObject()).status());
    HttpHygieneTest.assertError(api.post(path, school.mentorB.token(), new JsonObject()), 404, "not_found");
    HttpHygieneTest.assertError(api.get(path, school.mentorB.token()), 404, "not_found");
    HttpHygieneTest.assertError(api.post(path, school.cohortStudent.token(), new JsonObject()), 403, "forbidden");
    HttpHygieneTest.assertError(api.post(path, null, new JsonObject()), 401, "unauthorized");
    JsonObject inv = invite(school.mentorA.token(), school.cohortId, new JsonObject());
    HttpHygieneTest.assertError(api.delete("/api/invitations/" + inv.getLong("id"), school.mentorB.token()), 404, "not_found");
    HttpHygieneTest.assertError(api.post(path, school.admin.token(), new JsonObject().put("maxUses", 0)), 400, "validation_failed");
    HttpHygieneTest.assertError(api.post(path, school.admin.token(), new JsonObject().put("expiresInHours", 100_000)),
      400, "validation_failed");
    assertEquals(0, portal.database().count("SELECT count(*) FROM invitations WHERE revoked_at IS NOT NULL AND id = "
      + inv.getLong("id")), "revoked by a stranger");
  }

  @Test
  @DisplayName("PORTAL_SELF_REGISTRATION=off refuses every sign-up with 403, invitation or not")
  void off() {
    try (TestPortal closed = TestPortal.start(Map.of(PortalConfig.SELF_REGISTRATION, "off"))) {
      Api.Response r = closed.api().post("/api/auth/register", null, signUp("off").put("invitation", "anything"));
      HttpHygieneTest.assertError(r, 403, "forbidden");
      assertEquals(0, closed.database().count("SELECT count(*) FROM users WHERE role = 'student'"));
    }
  }
}
