package edu.mentoring.portal.http;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every pooled session carries statement, lock and idle-in-transaction timeouts; what they end is a retryable 503. */
@DisplayName("Database timeouts: a request held up by another session's lock fails fast with 503 + Retry-After; an idle transaction is ended")
class DatabaseTimeoutsTest {
  private static final long LOCK_TIMEOUT_MS = 1_000;
  private static final long IDLE_TX_TIMEOUT_MS = 1_000;
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture(Map.of(
    PortalConfig.DB_STATEMENT_TIMEOUT_MS, "2000",
    PortalConfig.DB_LOCK_TIMEOUT_MS, Long.toString(LOCK_TIMEOUT_MS),
    PortalConfig.DB_IDLE_TX_TIMEOUT_MS, Long.toString(IDLE_TX_TIMEOUT_MS)));
  private static TestPortal portal;
  private static Api api;
  private static School school;

  @Test
  @DisplayName("a mentor change for a student whose row another session holds FOR UPDATE: 503 unavailable + Retry-After within the lock timeout, nothing changed, other requests served meanwhile")
  void rowLockedElsewhere() throws SQLException {
    School.Member student = school.newStudentOf(school.mentorA);
    String assigned = "SELECT count(*) FROM audit_logs WHERE entity_type = 'user' AND action = 'assign_mentor'"
      + " AND entity_id = " + student.id();
    long auditBefore = portal.database().count(assigned);
    Future<Api.Response> reassigned;
    long started;
    try (Connection holder = portal.database().jdbc()) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.executeQuery("SELECT id FROM users WHERE id = " + student.id() + " FOR UPDATE").close();
      }
      started = System.nanoTime();
      reassigned = api.request(HttpMethod.PUT, "/api/students/" + student.id() + "/mentor", school.admin.token(),
        new JsonObject().put("mentorId", school.mentorB.id()).toBuffer(), "application/json");
      portal.database().awaitLockWait(java.time.Duration.ofMillis(LOCK_TIMEOUT_MS));
      long t0 = System.nanoTime();
      Api.Response other = api.get("/api/auth/me", school.mentorB.token());
      assertEquals(200, other.status(), other::toString);
      assertTrue(millisSince(t0) < LOCK_TIMEOUT_MS, "served while the other request waits for the lock");
      assertEquals(200, api.get("/health", null).status());

      Api.Response refused = reassigned.timeout(10, TimeUnit.SECONDS).await();
      long took = millisSince(started);
      assertTrue(took >= LOCK_TIMEOUT_MS - 50 && took <= LOCK_TIMEOUT_MS + 1_500, "answered after " + took + " ms");
      assertRetryable(refused);
      holder.rollback();
    }
    assertEquals(school.mentorA.id(), portal.database().count("SELECT mentor_id FROM users WHERE id = " + student.id()),
      "the mentor is unchanged");
    assertEquals(auditBefore, portal.database().count(assigned), "no audit row for a change that did not happen");
    Api.Response retried = api.put("/api/students/" + student.id() + "/mentor", school.admin.token(),
      new JsonObject().put("mentorId", school.mentorB.id()));
    assertEquals(200, retried.status(), "the retry the 503 asked for succeeds: " + retried);
  }

  @Test
  @DisplayName("a pooled session carries the configured timeouts, and a transaction left idle is ended by the server: a retryable 503 for whoever used it, the pool unharmed")
  void idleTransactionEnded() {
    // the node's own pool (shared by name: the settings passed here are ignored, the node's apply)
    Pool pool = Db.pool(portal.node().vertx(),
      new JsonObject().put(ConfigKeys.DB, PortalConfig.dbJson(portal.node().database(), 1)));
    try {
      SqlConnection conn = pool.getConnection().await();
      Row settings = conn.query("SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt,"
        + " current_setting('idle_in_transaction_session_timeout') AS it").execute().await().iterator().next();
      assertEquals("2s", settings.getString("st"));
      assertEquals("1s", settings.getString("lt"));
      assertEquals("1s", settings.getString("it"));

      Promise<Void> ended = Promise.promise();
      conn.closeHandler(v -> ended.tryComplete());
      conn.begin().await();
      long idleSince = System.nanoTime();
      ended.future().timeout(IDLE_TX_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS).await();
      assertTrue(millisSince(idleSince) >= IDLE_TX_TIMEOUT_MS - 50, "ended after " + millisSince(idleSince) + " ms");
      Throwable failure = conn.query("SELECT 1").execute().transform(ar -> Future.succeededFuture(ar.cause())).await();
      assertEquals(ErrorCode.UNAVAILABLE, Bus.toPortal(failure, Map.of(), "test").code(), String.valueOf(failure));
      conn.close();
    } finally {
      pool.close().await();
    }
    assertEquals(200, api.get("/health", null).status(), "the pool replaced the connection");
    assertEquals(200, api.get("/api/students", school.mentorA.token()).status());
  }

  /** The contract's error body, 503 unavailable, and a Retry-After. */
  static void assertRetryable(Api.Response r) {
    assertEquals(503, r.status(), r::toString);
    assertEquals("1", r.retryAfter(), "Retry-After");
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    JsonObject body = r.json();
    assertEquals(Set.of("error"), body.fieldNames(), r::toString);
    JsonObject error = body.getJsonObject("error");
    assertEquals("unavailable", error.getString("code"));
    assertTrue(!error.getString("message", "").isBlank(), r::toString);
    assertTrue(Set.of("code", "message", "details").containsAll(error.fieldNames()), r::toString);
    HttpHygieneTest.assertNoLeak(r);
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
