package edu.mentoring.portal.accounts;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Admins manage every account: the directory, deactivation, one-time password links")
class UserAdminTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static String tag() {
    return UUID.randomUUID().toString().substring(0, 6);
  }

  @Test
  @DisplayName("an admin finds accounts by name or email, role and state, newest first and page by page")
  void directory() {
    String t = tag();
    School.Member a = school.create("dir-a-" + t + "@school.test", "Directory " + t + " One", "mentor");
    School.Member b = school.register("dir-b-" + t + "@school.test", "Directory " + t + " Two", null);
    Api.Response all = api.get("/api/users?q=directory%20" + t, school.admin.token());
    assertEquals(200, all.status(), all::toString);
    assertEquals(List.of(b.id(), a.id()), all.items().stream().map(o -> ((JsonObject) o).getLong("id")).toList());
    assertTrue(all.items().getJsonObject(0).getBoolean("active"));

    assertEquals(List.of(a.id()), ids(api.get("/api/users?role=mentor&q=" + t, school.admin.token())));
    assertEquals(List.of(b.id()), ids(api.get("/api/users?q=DIR-B-" + t, school.admin.token())), "email, any case");
    Api.Response first = api.get("/api/users?limit=1&q=" + t, school.admin.token());
    assertEquals(List.of(b.id()), ids(first));
    long next = first.json().getLong("nextBefore");
    Api.Response second = api.get("/api/users?limit=1&q=" + t + "&before=" + next, school.admin.token());
    assertEquals(List.of(a.id()), ids(second));
    assertNull(second.json().getValue("nextBefore"), "no empty page follows");
    assertTrue(ids(api.get("/api/users?q=%25", school.admin.token())).isEmpty(), "a % is a character, not a wildcard");

    assertEquals(400, api.get("/api/users?role=owner", school.admin.token()).status());
    assertEquals(400, api.get("/api/users?status=gone", school.admin.token()).status());
    assertEquals(403, api.get("/api/users", school.mentorA.token()).status());
    assertEquals(403, api.get("/api/users", school.studentA.token()).status());
    assertEquals(401, api.get("/api/users", null).status());
  }

  @Test
  @DisplayName("a deactivated user's token is refused at once, their socket is closed, their sign-in refused; reactivated, they sign in again")
  void deactivationStopsEverythingAtOnce() {
    School.Member student = school.newStudentOf(school.mentorA);
    String room = "student:" + student.id();
    try (BridgeClient socket = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      assertTrue(socket.registerAndAwait(room, student.token(), Duration.ofSeconds(5)));
      Api.Response off = api.put("/api/users/" + student.id() + "/active", school.admin.token(),
        new JsonObject().put("active", false));
      assertEquals(200, off.status(), off::toString);
      assertFalse(off.json().getBoolean("active"));
      assertNotNull(off.json().getString("deactivatedAt"));

      // the very next request, with a token that has not expired
      Api.Response me = api.get("/api/auth/me", student.token());
      assertEquals(401, me.status(), me::toString);
      assertTrue(me.json().getJsonObject("error").getString("message").contains("deactivated"));
      JsonObject revoked = socket.awaitError(Duration.ofSeconds(5));
      assertNotNull(revoked, "the socket hears its rooms taken back");
      assertEquals("revoked", revoked.getString("body"));
      assertEquals(0, portal.node().rooms().roomMembers(room));
      Api.Response login = api.post("/api/auth/login", null, new JsonObject().put("email", student.email())
        .put("password", School.PASSWORD));
      assertEquals(401, login.status(), login::toString);
      assertEquals(1, portal.database().count("SELECT count(*) FROM audit_logs WHERE entity_type = 'user'"
        + " AND action = 'deactivate' AND entity_id = " + student.id() + " AND actor_id = " + school.admin.id()));
    }
    try (BridgeClient again = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      assertFalse(again.registerAndAwait(room, student.token(), Duration.ofSeconds(3)), "a new socket is refused too");
    }
    // a node started now knows it from the database
    try (TestPortal other = TestPortal.startOn(portal.database(), Map.of())) {
      assertEquals(401, other.api().get("/api/auth/me", student.token()).status());
    }

    Api.Response on = api.put("/api/users/" + student.id() + "/active", school.admin.token(),
      new JsonObject().put("active", true));
    assertEquals(200, on.status(), on::toString);
    assertTrue(on.json().getBoolean("active"));
    assertEquals(200, api.post("/api/auth/login", null, new JsonObject().put("email", student.email())
      .put("password", School.PASSWORD)).status());
    assertEquals(200, api.get("/api/auth/me", student.token()).status());
  }

  @Test
  @DisplayName("a password link works once: the user sets a new password and is signed in; the old password, a replaced link and a second use fail; the trail keeps no token")
  void passwordLinkWorksOnce() {
    School.Member mentor = school.create("reset-" + tag() + "@school.test", "Reset Mentor", "mentor");
    Api.Response first = api.post("/api/users/" + mentor.id() + "/password-reset", school.admin.token(), new JsonObject());
    assertEquals(201, first.status(), first::toString);
    Api.Response link = api.post("/api/users/" + mentor.id() + "/password-reset", school.admin.token(), new JsonObject());
    assertEquals(201, link.status(), link::toString);
    String path = link.json().getString("path");
    assertTrue(path.startsWith("/#reset="), path);
    String token = path.substring("/#reset=".length());
    String replaced = first.json().getString("path").substring("/#reset=".length());

    Api.Response stale = reset(replaced, "a-brand-new-secret");
    assertEquals(400, stale.status(), "a replaced link no longer works: " + stale);
    assertEquals(400, reset(token, "short").status(), "the password rules hold");
    Api.Response done = reset(token, "a-brand-new-secret");
    assertEquals(200, done.status(), done::toString);
    assertNotNull(done.json().getString("token"));
    assertEquals(mentor.id(), done.json().getJsonObject("user").getLong("id"));
    assertEquals(400, reset(token, "another-secret-1").status(), "spent");

    assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("email", mentor.email())
      .put("password", School.PASSWORD)).status());
    assertEquals(200, api.post("/api/auth/login", null, new JsonObject().put("email", mentor.email())
      .put("password", "a-brand-new-secret")).status());
    assertEquals(0, portal.database().count("SELECT count(*) FROM audit_logs WHERE detail::text LIKE '%"
      + token + "%' OR new_value::text LIKE '%" + token + "%'"));
    assertEquals(0, portal.database().count("SELECT count(*) FROM password_resets WHERE token_hash = '" + token + "'"),
      "only a hash is stored");
    assertEquals(1, portal.database().count("SELECT count(*) FROM audit_logs WHERE entity_type = 'user'"
      + " AND action = 'password_reset' AND entity_id = " + mentor.id()));
  }

  @Test
  @DisplayName("refused: a mentor or student managing accounts, an admin deactivating themself, unknown ids, bad bodies, a bogus link — and nothing changes")
  void refusals() {
    School.Member target = school.newStudentOf(school.mentorB);
    String trail = "SELECT count(*) FROM audit_logs WHERE entity_type = 'user' AND entity_id = " + target.id();
    long audited = portal.database().count(trail);
    String path = "/api/users/" + target.id() + "/active";
    assertEquals(403, api.put(path, school.mentorB.token(), new JsonObject().put("active", false)).status());
    assertEquals(403, api.put(path, target.token(), new JsonObject().put("active", false)).status());
    assertEquals(403, api.post("/api/users/" + target.id() + "/password-reset", school.mentorB.token(), new JsonObject()).status());
    assertEquals(400, api.put(path, school.admin.token(), new JsonObject()).status());
    assertEquals(400, api.put(path, school.admin.token(), new JsonObject().put("active", "no")).status());
    assertEquals(404, api.put("/api/users/999999999/active", school.admin.token(), new JsonObject().put("active", false)).status());
    assertEquals(404, api.put("/api/users/abc/active", school.admin.token(), new JsonObject().put("active", false)).status());
    assertEquals(400, api.put("/api/users/" + school.admin.id() + "/active", school.admin.token(),
      new JsonObject().put("active", false)).status(), "not your own account");
    assertEquals(400, reset("not-a-token-at-all", "a-good-password").status());

    assertEquals(0, portal.database().count("SELECT count(*) FROM users WHERE id = " + target.id()
      + " AND deactivated_at IS NOT NULL"));
    assertEquals(audited, portal.database().count(trail));
  }

  @Test
  @DisplayName("two admins deactivating each other at the same moment leave one of them active: the school is never left without an admin")
  void oneAdminAlwaysRemains() throws Exception {
    School.Member p = school.create("p-" + tag() + "@school.test", "Admin P", "admin");
    School.Member q = school.create("q-" + tag() + "@school.test", "Admin Q", "admin");
    List<Long> others = ids(api.get("/api/users?role=admin&status=active&limit=200", p.token())).stream()
      .filter(id -> id != p.id() && id != q.id()).toList();
    try {
      for (long id : others) {
        assertEquals(200, api.put("/api/users/" + id + "/active", p.token(), new JsonObject().put("active", false)).status());
      }
      var pq = api.request(io.vertx.core.http.HttpMethod.PUT, "/api/users/" + q.id() + "/active", p.token(),
        new JsonObject().put("active", false).toBuffer(), "application/json");
      var qp = api.request(io.vertx.core.http.HttpMethod.PUT, "/api/users/" + p.id() + "/active", q.token(),
        new JsonObject().put("active", false).toBuffer(), "application/json");
      int a = pq.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS).status();
      int b = qp.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS).status();
      assertTrue((a == 200) != (b == 200), "exactly one wins: " + a + ", " + b);
      assertEquals(1, portal.database().count("SELECT count(*) FROM users WHERE role = 'admin' AND deactivated_at IS NULL"));
    } finally {
      // the winner puts every admin back, so the other tests keep theirs
      for (School.Member winner : List.of(p, q)) {
        if (api.get("/api/auth/me", winner.token()).status() != 200) continue;
        for (long id : others) api.put("/api/users/" + id + "/active", winner.token(), new JsonObject().put("active", true));
        api.put("/api/users/" + (winner == p ? q : p).id() + "/active", winner.token(), new JsonObject().put("active", true));
      }
    }
    assertEquals(200, api.get("/api/auth/me", school.admin.token()).status());
  }

  private static Api.Response reset(String token, String password) {
    return api.post("/api/auth/password-reset", null, new JsonObject().put("token", token).put("password", password));
  }

  private static List<Long> ids(Api.Response r) {
    assertEquals(200, r.status(), r::toString);
    return r.items().stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }
}
