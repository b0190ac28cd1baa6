package edu.mentoring.portal.bootstrap;

import edu.mentoring.portal.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Migrations: the schema, its names, and the rules the database keeps")
class MigrationsTest {
  private static final List<String> TABLES = List.of("users", "cohorts", "cohort_mentors", "learning_entries",
    "entry_comments", "tasks", "task_assignees", "schedules", "schedule_attendees", "activity_feed",
    "notifications", "audit_logs", "idempotency_keys");
  private static final List<String> NAMED_INDEXES = List.of("idx_schedules_mentorId", "idx_schedules_studentId",
    "idx_schedules_startTime", "idx_activity_feed_eventType", "idx_activity_feed_createdAt",
    "idx_audit_logs_entityId");

  private static TestDatabase db;
  private static MigrateResult result;

  @BeforeAll
  static void migrate() {
    db = TestDatabase.create();
    result = Migrations.migrate(db.options());
  }

  @AfterAll
  static void drop() {
    db.close();
  }

  @Test
  @DisplayName("on an empty database every migration from V1 on is applied, and a second run applies nothing")
  void appliesFromV1() {
    assertTrue(result.success);
    assertTrue(result.migrationsExecuted >= 1);
    assertEquals(result.migrationsExecuted, successfulMigrations(db));
    assertEquals(1, db.count("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success"));
    assertEquals(0, Migrations.migrate(db.options()).migrationsExecuted);
  }

  @Test
  @DisplayName("every table of the product exists")
  void tables() {
    for (String table : TABLES) {
      assertEquals(1, db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        + " AND table_name = '" + table + "'"), table);
    }
  }

  @Test
  @DisplayName("the named indexes exist with exactly their camelCase names, on the right tables")
  void namedIndexes() throws SQLException {
    for (String index : NAMED_INDEXES) {
      String table = index.substring(4, index.lastIndexOf('_'));
      assertEquals(1, db.count("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = '"
        + index + "' AND tablename = '" + table + "'"), index);
    }
    // and not a lower-cased twin: the names are exact
    for (String index : NAMED_INDEXES) {
      assertEquals(0, db.count("SELECT count(*) FROM pg_indexes WHERE indexname = '" + index.toLowerCase() + "'"),
        index);
    }
  }

  @Test
  @DisplayName("CHECK constraints refuse an unknown status on schedules, learning entries and tasks")
  void statusChecks() throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      long mentor = user(s, "check-mentor@school.test", "mentor");
      long student = user(s, "check-student@school.test", "student");
      assertRefused("23514", s, "INSERT INTO schedules (mentor_id, student_id, title, start_time, end_time, status)"
        + " VALUES (" + mentor + ", " + student + ", 'x', '2030-01-01T10:00Z', '2030-01-01T11:00Z', 'postponed')");
      assertRefused("23514", s, "INSERT INTO learning_entries (student_id, title, content, status)"
        + " VALUES (" + student + ", 'x', 'y', 'published')");
      assertRefused("23514", s, "INSERT INTO tasks (mentor_id, student_id, title, status)"
        + " VALUES (" + mentor + ", " + student + ", 'x', 'archived')");
      // the same rows with a valid status are accepted: the refusals were about the status
      s.execute("INSERT INTO learning_entries (student_id, title, content, status) VALUES (" + student
        + ", 'x', 'y', 'submitted')");
      s.execute("INSERT INTO tasks (mentor_id, student_id, title, status) VALUES (" + mentor + ", " + student
        + ", 'x', 'done')");
    }
  }

  @Test
  @DisplayName("the database refuses an overlapping session for the same mentor, but not once one is cancelled")
  void mentorOverlap() throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      long mentor = user(s, "overlap-mentor@school.test", "mentor");
      long a = user(s, "overlap-a@school.test", "student");
      long b = user(s, "overlap-b@school.test", "student");
      long first = id(s, session(mentor, a, "2030-02-01T10:00Z", "2030-02-01T11:00Z"));
      assertRefused("23P01", s, session(mentor, b, "2030-02-01T10:30Z", "2030-02-01T11:30Z"));
      assertRefused("23P01", s, session(mentor, b, "2030-02-01T09:00+00:00", "2030-02-01T12:00+00:00"));
      // back to back is not an overlap (half-open ranges); another mentor at the same time is fine
      id(s, session(mentor, b, "2030-02-01T11:00Z", "2030-02-01T12:00Z"));
      long other = user(s, "overlap-other@school.test", "mentor");
      id(s, session(other, b, "2030-02-01T10:00Z", "2030-02-01T10:30Z"));
      s.execute("UPDATE schedules SET status = 'cancelled' WHERE id = " + first);
      id(s, session(mentor, b, "2030-02-01T10:00Z", "2030-02-01T11:00Z"));
    }
  }

  @Test
  @DisplayName("audit_logs is append-only: UPDATE, DELETE and TRUNCATE are refused")
  void auditAppendOnly() throws SQLException {
    try (Connection c = db.jdbc(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO audit_logs (entity_type, entity_id, action) VALUES ('test', 1, 'create')");
      long before = db.count("SELECT count(*) FROM audit_logs");
      assertRefused("42501", s, "UPDATE audit_logs SET action = 'forged'");
      assertRefused("42501", s, "DELETE FROM audit_logs");
      assertRefused("42501", s, "TRUNCATE audit_logs");
      assertEquals(before, db.count("SELECT count(*) FROM audit_logs"));
      assertEquals(0, db.count("SELECT count(*) FROM audit_logs WHERE action = 'forged'"));
    }
  }

  @Test
  @DisplayName("four nodes migrating one empty database at once all succeed and the schema is applied once")
  void concurrentMigrations() throws Exception {
    TestDatabase fresh = TestDatabase.create();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<MigrateResult>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(pool.submit(() -> {
          go.await();
          return Migrations.migrate(fresh.options());
        }));
      }
      go.countDown();
      int executed = 0;
      for (Future<MigrateResult> run : runs) {
        MigrateResult r = run.get(120, TimeUnit.SECONDS);
        assertTrue(r.success);
        executed += r.migrationsExecuted;
      }
      assertEquals(result.migrationsExecuted, executed, "each migration ran on exactly one node");
      assertEquals(executed, successfulMigrations(fresh));
      assertEquals(0, fresh.count("SELECT count(*) FROM flyway_schema_history WHERE NOT success"));
      assertEquals(TABLES.size(), fresh.count("SELECT count(*) FROM information_schema.tables"
        + " WHERE table_schema = 'public' AND table_name IN ('" + String.join("','", TABLES) + "')"));
    } finally {
      pool.shutdownNow();
      fresh.close();
    }
  }

  @Test
  @DisplayName("V2 numbers the events a V1 node left unnumbered, in order, with their notifications; V3 publishes them again")
  void v2CarriesPendingEvents() throws SQLException {
    try (TestDatabase old = TestDatabase.create()) {
      String url = "jdbc:postgresql://" + old.options().getHost() + ":" + old.options().getPort() + "/"
        + old.options().getDatabase();
      Flyway.configure().dataSource(url, old.options().getUser(), old.options().getPassword())
        .locations("classpath:db/migration").target("1").load().migrate();
      try (Connection c = old.jdbc(); Statement s = c.createStatement()) {
        long student = user(s, "v1-student@school.test", "student");
        s.execute("INSERT INTO activity_feed (id, event_type, target_type, target_id, rooms, created_at)"
          + " VALUES (7, 'task:assigned', 'task', 1, '{student:" + student + "}', now())");
        for (String title : List.of("first", "second")) {
          s.execute("INSERT INTO event_outbox (event_type, target_type, target_id, data, rooms, notify) VALUES"
            + " ('schedule:created', 'schedule', 5, '{\"t\":\"" + title + "\"}', '{student:" + student + "}',"
            + " '[{\"userId\":" + student + ",\"title\":\"" + title + "\"}, {\"userId\":999999,\"title\":\"gone\"}]')");
        }
      }
      Migrations.migrate(old.options());
      assertEquals(0, old.count("SELECT count(*) FROM pg_tables WHERE tablename = 'event_outbox'"));
      assertEquals(2, old.count("SELECT count(*) FROM activity_feed WHERE id IN (8, 9) AND event_type = 'schedule:created'"));
      assertEquals(6, old.count("SELECT position FROM event_cursors WHERE name = 'published'"),
        "published again from the first never published");
      assertEquals(1, old.count("SELECT count(*) FROM activity_feed WHERE id = 8 AND data->>'t' = 'first'"));
      assertEquals(1, old.count("SELECT count(*) FROM notifications WHERE event_id = 9 AND title = 'second'"));
      assertEquals(2, old.count("SELECT count(*) FROM notifications"), "a notification for a missing user is dropped");
    }
  }

  @Test
  @DisplayName("V3 turns attendee rows into one claim per session (members not on a group roll excused), counts the unread, keeps numbering")
  void v3ClaimsAndCounts() throws SQLException {
    try (TestDatabase old = TestDatabase.create()) {
      String url = "jdbc:postgresql://" + old.options().getHost() + ":" + old.options().getPort() + "/"
        + old.options().getDatabase();
      Flyway.configure().dataSource(url, old.options().getUser(), old.options().getPassword())
        .locations("classpath:db/migration").target("2").load().migrate();
      long mentor;
      long onRoll;
      long excused;
      long loner;
      try (Connection c = old.jdbc(); Statement s = c.createStatement()) {
        mentor = user(s, "v2-mentor@school.test", "mentor");
        long cohort = id(s, "INSERT INTO cohorts (name) VALUES ('V2 cohort') RETURNING id");
        onRoll = user(s, "v2-on-roll@school.test", "student");
        excused = user(s, "v2-excused@school.test", "student");
        loner = user(s, "v2-loner@school.test", "student");
        s.execute("UPDATE users SET cohort_id = " + cohort + " WHERE id IN (" + onRoll + ", " + excused + ")");
        long oneToOne = id(s, session(mentor, loner, "2031-01-01T10:00Z", "2031-01-01T11:00Z"));
        s.execute("INSERT INTO schedule_attendees (schedule_id, student_id, start_time, end_time) VALUES ("
          + oneToOne + ", " + loner + ", '2031-01-01T10:00Z', '2031-01-01T11:00Z')");
        long group = id(s, "INSERT INTO schedules (mentor_id, cohort_id, is_group_session, title, start_time, end_time)"
          + " VALUES (" + mentor + ", " + cohort + ", true, 'g', '2031-01-02T10:00Z', '2031-01-02T11:00Z') RETURNING id");
        s.execute("INSERT INTO schedule_attendees (schedule_id, student_id, start_time, end_time) VALUES ("
          + group + ", " + onRoll + ", '2031-01-02T10:00Z', '2031-01-02T11:00Z')");
        s.execute("INSERT INTO activity_feed (id, event_type, target_type, target_id, rooms, created_at) VALUES"
          + " (1, 'schedule:created', 'schedule', " + group + ", '{}', now())");
        s.execute("INSERT INTO notifications (user_id, type, title, event_id, read_at) VALUES (" + onRoll
          + ", 'schedule:created', 'a', 1, NULL), (" + onRoll + ", 'schedule:created', 'b', NULL, NULL), (" + loner
          + ", 'schedule:created', 'c', NULL, now())");
      }
      Migrations.migrate(old.options());
      assertEquals(2, old.count("SELECT count(*) FROM session_claims"));
      assertEquals(1, old.count("SELECT count(*) FROM session_claims WHERE student_id = " + loner
        + " AND cohort_key = 0 AND students @> " + loner + "::bigint"));
      assertEquals(1, old.count("SELECT count(*) FROM session_claims WHERE student_id IS NULL AND students @> "
        + onRoll + "::bigint AND NOT students @> " + excused + "::bigint"), "a member not on the roll is excused");
      assertEquals(2, old.count("SELECT unread FROM notification_counts WHERE user_id = " + onRoll));
      assertEquals(0, old.count("SELECT unread FROM notification_counts WHERE user_id = " + loner));
      assertEquals(1, old.count("SELECT position FROM event_cursors WHERE name = 'notified'"));
      assertEquals(2, old.count("SELECT nextval('activity_feed_seq_seq')"), "new events come after the old ones");
      try (Connection c = old.jdbc(); Statement s = c.createStatement()) {
        long other = user(s, "v3-mentor@school.test", "mentor");
        long clash = id(s, session(other, loner, "2031-01-01T10:30Z", "2031-01-01T11:30Z"));
        assertRefused("23P01", s, "INSERT INTO session_claims (schedule_id, cohort_key, student_id, students, during)"
          + " VALUES (" + clash + ", 0, " + loner + ", int8multirange(int8range(" + loner + ", " + loner + " + 1)),"
          + " tstzrange('2031-01-01T10:30Z', '2031-01-01T11:30Z'))");
      }
    }
  }

  private static long successfulMigrations(TestDatabase d) {
    return d.count("SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL AND success");
  }

  private static String session(long mentor, long student, String start, String end) {
    return "INSERT INTO schedules (mentor_id, student_id, title, start_time, end_time) VALUES (" + mentor + ", "
      + student + ", 'session', '" + start + "', '" + end + "') RETURNING id";
  }

  private static long user(Statement s, String email, String role) throws SQLException {
    return id(s, "INSERT INTO users (email, password_hash, name, role) VALUES ('" + email + "', 'x', 'n', '" + role
      + "') RETURNING id");
  }

  private static long id(Statement s, String insertReturning) throws SQLException {
    try (ResultSet rs = s.executeQuery(insertReturning)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void assertRefused(String sqlState, Statement s, String sql) {
    SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
    assertEquals(sqlState, e.getSQLState(), e::getMessage);
  }
}
