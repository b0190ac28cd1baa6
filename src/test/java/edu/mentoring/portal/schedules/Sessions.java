package edu.mentoring.portal.schedules;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers for the schedule tests: time slots that never collide, request bodies, database snapshots. */
final class Sessions {
  /** Times go in with a non-UTC offset, to check they come back in UTC. */
  static final ZoneOffset PARIS = ZoneOffset.ofHours(2);
  private static final AtomicInteger DAYS = new AtomicInteger();

  private Sessions() {
  }

  /** 10:00 (+02:00) on a day of its own, weeks from now: no two calls overlap. */
  static OffsetDateTime futureSlot() {
    return OffsetDateTime.now(PARIS).truncatedTo(ChronoUnit.DAYS).plusDays(30 + DAYS.incrementAndGet())
      .withHour(10);
  }

  /** 10:00 (+02:00) on a day of its own, weeks ago: the session has started and ended. */
  static OffsetDateTime pastSlot() {
    return OffsetDateTime.now(PARIS).truncatedTo(ChronoUnit.DAYS).minusDays(30 + DAYS.incrementAndGet())
      .withHour(10);
  }

  static JsonObject oneToOne(long studentId, OffsetDateTime start, int minutes) {
    return new JsonObject().put("title", "1:1 at " + start).put("studentId", studentId)
      .put("startTime", start.toString()).put("endTime", start.plusMinutes(minutes).toString());
  }

  static JsonObject group(long cohortId, OffsetDateTime start, int minutes) {
    return new JsonObject().put("title", "Group at " + start).put("isGroupSession", true).put("cohortId", cohortId)
      .put("startTime", start.toString()).put("endTime", start.plusMinutes(minutes).toString());
  }

  static JsonObject create(Api api, String token, JsonObject body) {
    Api.Response r = api.post("/api/schedules", token, body);
    assertEquals(201, r.status(), r::toString);
    return r.json();
  }

  static Api.Response setStatus(Api api, String token, long id, String status) {
    return api.patch("/api/schedules/" + id + "/status", token, new JsonObject().put("status", status));
  }

  /**
   * Everything a refused command must leave untouched: the session row, its attendees, its audit rows and its
   * events (outbox and feed read in one statement, so an event moving between them is counted once).
   */
  static String state(TestDatabase db, long id) {
    String sql = "SELECT coalesce((SELECT row_to_json(s)::text FROM schedules s WHERE s.id = " + id + "), 'gone')"
      + " || '|' || coalesce((SELECT json_agg(a ORDER BY a.student_id)::text FROM schedule_attendees a"
      + "   WHERE a.schedule_id = " + id + "), '[]')"
      + " || '|audit=' || (SELECT count(*) FROM audit_logs WHERE entity_type = 'schedule' AND entity_id = " + id + ")"
      + " || '|events=' || (SELECT count(*) FROM activity_feed WHERE target_type = 'schedule' AND target_id = " + id
      + ")";
    try (var c = db.jdbc(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls until the condition holds (10 s at most); whether it does. */
  static boolean until(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) return false;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Polls until the count satisfies {@code ok} (for what is pushed after commit), then returns it. */
  static long awaitCount(TestDatabase db, String sql, LongPredicate ok) {
    until(() -> ok.test(db.count(sql)));
    return db.count(sql);
  }

  /** Waits for exactly {@code expected} rows (the event pipeline is asynchronous) and asserts it. */
  static void awaitExactly(TestDatabase db, long expected, String sql) {
    assertEquals(expected, awaitCount(db, sql, n -> n >= expected), sql);
    assertEquals(expected, db.count(sql), sql);
  }
}
