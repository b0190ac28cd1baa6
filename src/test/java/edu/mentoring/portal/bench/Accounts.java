package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Every way the harness creates accounts, in one place and only through the public API, so a change to sign-up
 * is adapted here: an admin creates mentors ({@code POST /api/users}), cohorts and their invitations
 * ({@code POST /api/cohorts/{id}/invitations}); students register themselves with their cohort's invitation
 * ({@code POST /api/auth/register}); the admin may move them and give them a mentor
 * ({@code PUT /api/students/{id}/cohort|mentor}).
 */
final class Accounts {
  static final String PASSWORD = "bench-password-1";

  private final Http http;
  private final String adminToken;

  private Accounts(Http http, String adminToken) {
    this.http = http;
    this.adminToken = adminToken;
  }

  static Accounts signIn(Http http, String adminEmail, String adminPassword) {
    return new Accounts(http, login(http, adminEmail, adminPassword).await().getString("token"));
  }

  String adminToken() {
    return adminToken;
  }

  /** A student signs up with a cohort invitation (the portal's default), so joins that cohort at once. */
  Future<Member> registerStudent(String email, String name, Invitation invitation) {
    return http.sendPatiently(HttpMethod.POST, "/api/auth/register", null, new JsonObject().put("email", email).put("password", PASSWORD)
        .put("name", name).put("invitation", invitation.code()))
      .compose(r -> r.expectOk("register " + email))
      .map(r -> {
        JsonObject j = r.json();
        return new Member(j.getJsonObject("user").getLong("id"), Member.STUDENT, email, j.getString("token"), null,
          null, List.of()).inCohort(invitation.cohortId());
      });
  }

  /** A cohort's invitation code, as its mentor hands it out. */
  record Invitation(long cohortId, String code) {
  }

  /** Issued by the admin for {@code uses} sign-ups (at most {@link #MAX_INVITATION_USES}). */
  Future<Invitation> invite(long cohortId, int uses) {
    return http.sendPatiently(HttpMethod.POST, "/api/cohorts/" + cohortId + "/invitations", adminToken,
        new JsonObject().put("maxUses", uses))
      .compose(r -> r.expectOk("invitation to cohort " + cohortId))
      .map(r -> new Invitation(cohortId, r.json().getString("code")));
  }

  static final int MAX_INVITATION_USES = 1000;

  /** Created by the admin, then signed in through the API like any mentor. */
  Future<Member> createMentor(String email, String name) {
    return http.sendPatiently(HttpMethod.POST, "/api/users", adminToken, new JsonObject().put("email", email).put("password", PASSWORD)
        .put("name", name).put("role", Member.MENTOR))
      .compose(r -> r.expectOk("create mentor " + email))
      .compose(r -> login(http, email, PASSWORD)
        .map(j -> new Member(r.json().getLong("id"), Member.MENTOR, email, j.getString("token"), null, null,
          List.of())));
  }

  Future<Long> createCohort(String name, List<Long> mentorIds) {
    return http.create("/api/cohorts", adminToken, new JsonObject().put("name", name)
      .put("mentorIds", new JsonArray(List.copyOf(mentorIds))));
  }

  Future<Member> putInCohort(Member student, long cohortId) {
    return http.sendPatiently(HttpMethod.PUT, "/api/students/" + student.id() + "/cohort", adminToken, new JsonObject().put("cohortId", cohortId))
      .compose(r -> r.expectOk("cohort of " + student.email()))
      .map(r -> student.inCohort(cohortId));
  }

  Future<Member> assignMentor(Member student, long mentorId) {
    return http.sendPatiently(HttpMethod.PUT, "/api/students/" + student.id() + "/mentor", adminToken, new JsonObject().put("mentorId", mentorId))
      .compose(r -> r.expectOk("mentor of " + student.email()))
      .map(r -> student.withMentor(mentorId));
  }

  static Future<JsonObject> login(Http http, String email, String password) {
    return http.sendPatiently(HttpMethod.POST, "/api/auth/login", null, new JsonObject().put("email", email).put("password", password))
      .compose(r -> r.expectOk("login " + email))
      .map(Http.Reply::json);
  }
}
