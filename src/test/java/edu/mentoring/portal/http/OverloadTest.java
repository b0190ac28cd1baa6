package edu.mentoring.portal.http;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node made small on purpose (2 connections, 8 waiting, 16 bus requests in flight over 2 HTTP instances, one bcrypt
 * thread with 2 waiting) and flooded: it refuses what it cannot take with 503 + Retry-After, writes all or nothing,
 * and is healthy afterwards.
 */
@DisplayName("Overload: a saturated node refuses with 503 + Retry-After instead of queueing, and never falls over")
class OverloadTest {
  private static final int FLOOD = 500;
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture(Map.of(
    PortalConfig.DB_POOL_SIZE, "2",
    PortalConfig.DB_WAIT_QUEUE, "8",
    PortalConfig.HTTP_MAX_IN_FLIGHT, "16",
    PortalConfig.HTTP_INSTANCES, "2",
    PortalConfig.BCRYPT_COST, "10", // slow enough to fill one thread (the tests' usual 4 hashes in a millisecond)
    PortalConfig.BCRYPT_THREADS, "1",
    PortalConfig.BCRYPT_QUEUE, "2"));
  private static TestPortal portal;
  private static School school;

  @Test
  @DisplayName("500 entries created at once: each answer is 201 or 503 with Retry-After and the contract's body, never a 500; every 201 and nothing else is in the database, whole; the node is healthy after")
  void floodOfCreates() throws SQLException {
    String tag = "flood-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    List<School.Member> students = List.of(school.studentA, school.studentB, school.cohortStudent);
    Api flood = new Api(portal.node().vertx(), portal.port(), FLOOD);
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (int i = 0; i < FLOOD; i++) {
      sent.add(flood.postAsync("/api/entries", students.get(i % students.size()).token(),
        new JsonObject().put("title", tag + i).put("content", "written under load")));
    }
    Future.all(sent).timeout(60, TimeUnit.SECONDS).await();

    Set<Long> created = new HashSet<>();
    int refused = 0;
    for (Future<Api.Response> f : sent) {
      Api.Response r = f.result();
      if (r.status() == 201) {
        created.add(r.json().getLong("id"));
      } else {
        DatabaseTimeoutsTest.assertRetryable(r);
        refused++;
      }
    }
    assertTrue(!created.isEmpty() && refused > 0, "saturated, not idle nor dead: " + created.size() + " created, "
      + refused + " refused");
    assertEquals(FLOOD, created.size() + refused);

    assertEquals(created, ids("SELECT id FROM learning_entries WHERE title LIKE '" + tag + "%'"),
      "exactly the entries answered 201");
    assertEquals(created, ids("SELECT entity_id FROM audit_logs WHERE entity_type = 'entry' AND action = 'create'"
      + " AND new_value->>'title' LIKE '" + tag + "%'"), "each with its audit row");
    assertEquals(created, createdEvents(tag), "and its entry:created event");

    Api api = portal.api();
    assertEquals(200, api.get("/health", null).status());
    assertEquals(201, api.post("/api/entries", school.studentA.token(),
      new JsonObject().put("title", tag + "after").put("content", "calm again")).status());
  }

  @Test
  @DisplayName("a burst of sign-ins past the bcrypt queue gets 200 or 503 with Retry-After at once, and the rest of the API keeps answering")
  void signInBurst() {
    // under the in-flight limit (8 per HTTP instance) even if every sign-in lands on one instance: the bcrypt queue
    // (1 thread, 2 waiting) is what refuses
    int burst = 6;
    Api many = new Api(portal.node().vertx(), portal.port(), burst);
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      sent.add(many.postAsync("/api/auth/login", null, new JsonObject()
        .put("email", school.studentA.email()).put("password", School.PASSWORD)));
    }
    Api.Response read = portal.api().get("/api/entries", school.studentB.token());
    assertEquals(200, read.status(), "reads are served during the burst: " + read);
    Future.all(sent).timeout(30, TimeUnit.SECONDS).await();
    int ok = 0;
    int refused = 0;
    for (Future<Api.Response> f : sent) {
      Api.Response r = f.result();
      if (r.status() == 200) {
        ok++;
      } else {
        DatabaseTimeoutsTest.assertRetryable(r);
        refused++;
      }
    }
    assertTrue(ok > 0 && refused > 0, ok + " signed in, " + refused + " refused");
    assertEquals(200, portal.api().post("/api/auth/login", null, new JsonObject()
      .put("email", school.studentA.email()).put("password", School.PASSWORD)).status(), "and then signs in again");
  }

  private static Set<Long> ids(String sql) throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Connection c = portal.database().jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) ids.add(rs.getLong(1));
    }
    return ids;
  }

  /** The entries of the entry:created events whose title starts so, read as clients recover: GET /api/events. */
  private static Set<Long> createdEvents(String titlePrefix) {
    Api api = portal.api();
    Set<Long> targets = new HashSet<>();
    long after = 0;
    while (true) {
      Api.Response page = api.get("/api/events?after=" + after + "&limit=200", school.admin.token());
      assertEquals(200, page.status(), page::toString);
      JsonArray items = page.items();
      for (int i = 0; i < items.size(); i++) {
        JsonObject event = items.getJsonObject(i);
        after = event.getLong("id");
        if (!"entry:created".equals(event.getString("type"))) continue;
        if (event.getJsonObject("data").getJsonObject("entry").getString("title").startsWith(titlePrefix)) {
          targets.add(event.getJsonObject("target").getLong("id"));
        }
      }
      if (!page.json().getBoolean("hasMore", false)) break;
    }
    return targets;
  }
}
