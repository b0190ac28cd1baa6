package edu.mentoring.portal.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * A small school built through the real API: two mentors; a cohort mentored by {@link #mentorA} with
 * {@link #cohortStudent}; {@link #studentA} assigned to mentorA; {@link #studentB} assigned to {@link #mentorB}.
 */
public final class School {
  public static final String PASSWORD = "password-123";
  private static final java.util.concurrent.atomic.AtomicInteger FRESH = new java.util.concurrent.atomic.AtomicInteger();

  public final Api api;
  public final Member admin;
  public final Member mentorA;
  public final Member mentorB;
  public final Member cohortStudent;
  public final Member studentA;
  public final Member studentB;
  public final long cohortId;

  public record Member(long id, String email, String token) {
  }

  private School(Api api) {
    this.api = api;
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String adminToken = api.login(TestPortal.ADMIN_EMAIL, TestPortal.ADMIN_PASSWORD);
    long adminId = api.get("/api/auth/me", adminToken).json().getLong("id");
    admin = new Member(adminId, TestPortal.ADMIN_EMAIL, adminToken);
    mentorA = create("mentor-a-" + tag + "@school.test", "Mentor A", "mentor");
    mentorB = create("mentor-b-" + tag + "@school.test", "Mentor B", "mentor");
    cohortId = created(api.post("/api/cohorts", admin.token(), new JsonObject()
      .put("name", "Cohort " + tag).put("mentorIds", new JsonArray().add(mentorA.id())))).getLong("id");
    cohortStudent = register("cohort-" + tag + "@school.test", "Cohort Student", cohortId);
    studentA = register("student-a-" + tag + "@school.test", "Student A", null);
    studentB = register("student-b-" + tag + "@school.test", "Student B", null);
    assign(studentA, mentorA);
    assign(studentB, mentorB);
  }

  public static School build(Api api) {
    return new School(api);
  }

  public Member create(String email, String name, String role) {
    JsonObject user = created(api.post("/api/users", admin.token(), new JsonObject().put("email", email)
      .put("password", PASSWORD).put("name", name).put("role", role)));
    return new Member(user.getLong("id"), email, api.login(email, PASSWORD));
  }

  /** Signs up as a student; into {@code cohortId} (when not null) with an invitation the admin issues for it. */
  public Member register(String email, String name, Long cohortId) {
    JsonObject body = new JsonObject().put("email", email).put("password", PASSWORD).put("name", name);
    if (cohortId != null) body.put("invitation", invite(cohortId, 1));
    JsonObject reply = created(api.post("/api/auth/register", null, body));
    return new Member(reply.getJsonObject("user").getLong("id"), email, reply.getString("token"));
  }

  /** A new invitation code to {@code cohortId} for {@code uses} sign-ups, issued by the admin. */
  public String invite(long cohortId, int uses) {
    return created(api.post("/api/cohorts/" + cohortId + "/invitations", admin.token(),
      new JsonObject().put("maxUses", uses))).getString("code");
  }

  /** A new student assigned to {@code mentor}, with nothing yet in their inbox. */
  public Member newStudentOf(Member mentor) {
    int n = FRESH.incrementAndGet();
    Member student = register("fresh-" + n + "-" + UUID.randomUUID().toString().substring(0, 6) + "@school.test",
      "Fresh Student " + n, null);
    assign(student, mentor);
    return student;
  }

  public void assign(Member student, Member mentor) {
    Api.Response r = api.put("/api/students/" + student.id() + "/mentor", admin.token(),
      new JsonObject().put("mentorId", mentor.id()));
    if (r.status() != 200) throw new AssertionError("assign → " + r);
  }

  private static JsonObject created(Api.Response r) {
    if (r.status() != 201) throw new AssertionError("expected 201, got " + r);
    return r.json();
  }
}
