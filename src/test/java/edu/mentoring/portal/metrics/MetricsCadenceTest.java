package edu.mentoring.portal.metrics;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.metrics.MetricsPushTest.Recorder;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static edu.mentoring.portal.metrics.MetricsPushTest.pause;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flusher's cadence follows what its snapshots cost, and a snapshot stuck behind a lock is ended by the server's
 * lock timeout rather than by the flusher dropping its connection (and its lock). A table lock held from a JDBC
 * connection makes the admin scope's snapshot wait: {@code PER_STUDENT} reads {@code learning_entries}.
 */
@DisplayName("metrics:updated cadence: spaced by what snapshots cost; a stuck snapshot is cancelled by the server")
class MetricsCadenceTest {
  private static final long LOCK_TIMEOUT_MS = 600;
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture(Map.of(
    PortalConfig.DB_LOCK_TIMEOUT_MS, Long.toString(LOCK_TIMEOUT_MS),
    PortalConfig.DB_STATEMENT_TIMEOUT_MS, "1200"));
  private static TestPortal portal;
  private static Api api;
  private static School school;

  @Test
  @DisplayName("snapshots held up ~250 ms twice in a row space that room's next push by 20 times that (at least 4 s), not the usual 2 s")
  void slowSnapshotsSpaceTheNextPush() throws SQLException {
    MetricsPushTest.awaitFlusher(portal);
    try (Recorder admin = new Recorder(portal, Rooms.role("admin"), school.admin.token())) {
      admin.awaitQuiet(Duration.ofMillis(2_200));
      long done = tasksDone();
      try (Connection lock = lockEntries()) {
        changeAdminScope();
        pause(300); // the snapshot starts after the 50 ms debounce and waits for the lock, under the lock timeout
        lock.commit();
      }
      Recorder.Arrival first = admin.awaitSnapshot(doneIs(done + 1), Duration.ofSeconds(5));
      // one slow read alone does not count (a cold connection, a pause); a second one in a row does
      try (Connection lock = lockEntries()) {
        changeAdminScope();
        pause(first.atMs() + 2_400 - System.nanoTime() / 1_000_000); // the next read starts 2 s after the push
        lock.commit();
      }
      Recorder.Arrival second = admin.awaitSnapshot(doneIs(done + 2), Duration.ofSeconds(6));
      changeAdminScope();
      Recorder.Arrival third = admin.awaitSnapshot(doneIs(done + 3), Duration.ofSeconds(15));
      long apart = third.atMs() - second.atMs();
      assertTrue(apart >= 4_000, "pushed again " + apart + " ms after two snapshots that took ~250 ms");
      admin.assertCoalesced();
    }
  }

  @Test
  @DisplayName("a snapshot stuck behind a lock fails at the lock timeout: the flusher keeps its connection and lock, serves, and reads again only 20 × later")
  void stuckSnapshotCancelledByTheServer() throws SQLException {
    MetricsPushTest.awaitFlusher(portal);
    List<Integer> flusher = MetricsPushTest.lockHolders(portal);
    try (Recorder admin = new Recorder(portal, Rooms.role("admin"), school.admin.token())) {
      admin.awaitQuiet(Duration.ofMillis(2_200));
      long done = tasksDone();
      long changed;
      try (Connection lock = lockEntries()) {
        changeAdminScope();
        changed = System.nanoTime() / 1_000_000;
        pause(LOCK_TIMEOUT_MS + 600); // longer than the snapshot may wait
        assertEquals(200, api.get("/api/auth/me", school.mentorA.token()).status(), "the node serves meanwhile");
        lock.commit();
      }
      Recorder.Arrival pushed = admin.awaitSnapshot(doneIs(done + 1), Duration.ofSeconds(25));
      long after = pushed.atMs() - changed;
      assertTrue(after >= 16 * LOCK_TIMEOUT_MS, "read again " + after + " ms after the change, not 20 × "
        + LOCK_TIMEOUT_MS + " ms after the failed read");
      assertEquals(flusher, MetricsPushTest.lockHolders(portal), "the same session still holds the flusher lock");
      admin.assertCoalesced();
    }
  }

  /** An open transaction holding an exclusive lock on learning_entries until it commits. */
  private static Connection lockEntries() throws SQLException {
    Connection c = portal.database().jdbc();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE learning_entries IN ACCESS EXCLUSIVE MODE");
    }
    return c;
  }

  /** One more done task, reported on metrics.touched without rooms: only the admin's scope is dirty. */
  private static void changeAdminScope() throws SQLException {
    MetricsPushTest.insertDoneTask(portal, school.mentorA.id(), school.studentA.id());
    portal.node().vertx().eventBus().publish(MetricsAddresses.TOUCHED, new JsonObject().put("rooms", new JsonArray()));
  }

  private static long tasksDone() {
    Api.Response r = api.get("/api/metrics/dashboard", school.admin.token());
    assertEquals(200, r.status(), r::toString);
    return r.json().getJsonObject("tasks").getLong("done");
  }

  private static Predicate<JsonObject> doneIs(long n) {
    return data -> data.getJsonObject("tasks").getLong("done") == n;
  }
}
