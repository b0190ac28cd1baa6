package edu.mentoring.portal.accounts;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.http.HttpHygieneTest;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Sign-in throttling: repeated failures for an account or from an address get 429 with Retry-After, audited")
class SignInThrottleTest {

  private static Api.Response login(Api api, String email, String password) {
    return api.post("/api/auth/login", null, new JsonObject().put("email", email).put("password", password));
  }

  private static void assertLimited(Api.Response r) {
    assertLimited(r, 900);
  }

  /** 429 rate_limited with the contract's body and a Retry-After of 1 to {@code most} seconds. */
  private static void assertLimited(Api.Response r, int most) {
    HttpHygieneTest.assertNoLeak(r);
    assertEquals(429, r.status(), r::toString);
    assertEquals("rate_limited", r.errorCode(), r::toString);
    assertNotNull(r.retryAfter(), "Retry-After");
    int seconds = Integer.parseInt(r.retryAfter());
    assertTrue(seconds >= 1 && seconds <= most, r.retryAfter());
  }

  @Test
  @DisplayName("30 wrong passwords for one account: 401 up to the limit (5), then 429 rate_limited with Retry-After — even for the right password — and the lock is audited")
  void perAccount() {
    try (TestPortal portal = TestPortal.start()) {
      Api api = portal.api();
      School school = School.build(api);
      String victim = school.studentA.email();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        Api.Response r = login(api, victim, "wrong-password-" + i);
        statuses.add(r.status());
        if (i >= 5) assertLimited(r);
      }
      assertEquals(List.of(401, 401, 401, 401, 401), statuses.subList(0, 5), statuses::toString);
      assertLimited(login(api, victim.toUpperCase(), School.PASSWORD));
      // the lock is the account's: another account from the same address still signs in
      assertEquals(200, login(api, school.studentB.email(), School.PASSWORD).status());
      // audit rows are written after the answer (AuditLog)
      portal.database().awaitCount("SELECT count(*) FROM audit_logs WHERE action = 'sign_in_locked'"
        + " AND entity_id = " + school.studentA.id() + " AND detail->>'scope' = 'account'", 1);
      // refused attempts never reached the password check: five failures, not thirty
      portal.database().awaitCount("SELECT count(*) FROM audit_logs WHERE action = 'login_failed'"
        + " AND entity_id = " + school.studentA.id(), 5);
    }
  }

  @Test
  @DisplayName("failures spread over many accounts from one address lock that address (limit 8): then 429 for every account, right password or not")
  void perAddress() {
    try (TestPortal portal = TestPortal.start(Map.of(PortalConfig.SIGN_IN_MAX_FAILURES_PER_ADDRESS, "8"))) {
      Api api = portal.api();
      School school = School.build(api);
      for (int i = 0; i < 8; i++) {
        assertEquals(401, login(api, "sprayed-" + i + "@school.test", "password-123").status());
      }
      assertLimited(login(api, "sprayed-9@school.test", "password-123"));
      assertLimited(login(api, school.studentB.email(), School.PASSWORD));
      portal.database().awaitCount("SELECT count(*) FROM audit_logs WHERE action = 'sign_in_locked'"
        + " AND detail->>'scope' = 'address' AND detail->>'address' = '127.0.0.1'", 1);
      // a token already issued keeps working: the lock is on signing in, not on the API
      assertEquals(200, api.get("/api/auth/me", school.studentB.token()).status());
    }
  }

  @Test
  @DisplayName("a right password before the limit clears the account's count: 4 failures, a success, 4 failures → still 401, not 429")
  void successClears() {
    try (TestPortal portal = TestPortal.start()) {
      Api api = portal.api();
      School school = School.build(api);
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 4; i++) assertEquals(401, login(api, school.studentA.email(), "nope-nope-" + i).status());
        assertEquals(200, login(api, school.studentA.email(), School.PASSWORD).status());
      }
    }
  }

  @Test
  @DisplayName("sign-ups from one address past the hourly allowance (3) get 429 with Retry-After and create nothing")
  void signUps() {
    try (TestPortal portal = TestPortal.start(Map.of(PortalConfig.SIGN_UPS_PER_ADDRESS_PER_HOUR, "3"))) {
      Api api = portal.api();
      for (int i = 0; i < 3; i++) {
        assertEquals(201, api.post("/api/auth/register", null, new JsonObject().put("email", "burst-" + i + "@school.test")
          .put("password", "password-123").put("name", "Burst " + i)).status());
      }
      Api.Response fourth = api.post("/api/auth/register", null, new JsonObject().put("email", "burst-3@school.test")
        .put("password", "password-123").put("name", "Burst 3"));
      assertLimited(fourth, 3600); // until the hour is over
      assertEquals(0, portal.database().count("SELECT count(*) FROM users WHERE email = 'burst-3@school.test'"));
    }
  }
}
