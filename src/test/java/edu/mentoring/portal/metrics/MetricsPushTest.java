package edu.mentoring.portal.metrics;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("metrics:updated pushes: coalesced per room, fresh within 2 s, one flusher however many instances")
class MetricsPushTest {
  /** Arrival times on the client jitter a little around the server's 2 s spacing. */
  private static final long ARRIVAL_TOLERANCE_MS = 150;
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;
  /** Sessions are created at distinct hours from here on, so none overlaps another. */
  private static Instant nextSlot = Instant.parse("2031-01-01T08:00:00Z");



  /** The metrics:updated a room receives (its domain events are not ours), with arrival times, from a thread of its own. */
  static final class Recorder implements AutoCloseable {
    record Arrival(long atMs, JsonObject message) {
    }

    final String room;
    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final BridgeClient client;
    private final Thread thread;
    private volatile boolean running = true;
    private final long startedMs = System.nanoTime() / 1_000_000;

    Recorder(String room, String token) {
      this(portal, room, token);
    }

    /** On another test class's portal. */
    Recorder(TestPortal on, String room, String token) {
      this.room = room;
      client = BridgeClient.connect(on.node().vertx(), on.port());
      client.register(room, token);
      long deadline = System.currentTimeMillis() + 5_000;
      while (on.node().rooms().roomMembers(room) < 1 && System.currentTimeMillis() < deadline) pause(20);
      assertTrue(on.node().rooms().roomMembers(room) >= 1, "joined " + room);
      thread = new Thread(() -> {
        while (running) {
          JsonObject m = client.awaitMessage(room, Duration.ofMillis(20));
          if (m != null && "metrics:updated".equals(m.getString("type"))) arrivals.add(new Arrival(System.nanoTime() / 1_000_000, m));
        }
      }, "recorder-" + room);
      thread.setDaemon(true);
      thread.start();
    }

    /** Waits for a push whose snapshot matches; returns its arrival. */
    Arrival awaitSnapshot(Predicate<JsonObject> match, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (Arrival a : arrivals) {
          if (match.test(a.message().getJsonObject("data"))) return a;
        }
        pause(20);
      }
      throw new AssertionError("no matching metrics:updated on " + room + " within " + timeout + ": " + arrivals);
    }

    /** The contract: no activity id, at most one per room in any 2 s window. */
    void assertCoalesced() {
      Arrival previous = null;
      for (Arrival a : arrivals) {
        JsonObject m = a.message();
        assertFalse(m.containsKey("id"), "a state snapshot has no activity id: " + m.encode());
        assertNotNull(m.getString("occurredAt"));
        if (previous != null) {
          long apart = a.atMs() - previous.atMs();
          assertTrue(apart >= 2_000 - ARRIVAL_TOLERANCE_MS, room + ": two pushes " + apart + " ms apart");
          long stamped = Instant.parse(m.getString("occurredAt")).toEpochMilli()
            - Instant.parse(previous.message().getString("occurredAt")).toEpochMilli();
          assertTrue(stamped >= 1_990, room + ": snapshots generated " + stamped + " ms apart");
        }
        previous = a;
      }
    }

    /** Until nothing arrived for {@code quiet}: pushes still pending from earlier changes have come. */
    void awaitQuiet(Duration quiet) {
      long deadline = System.currentTimeMillis() + 15_000;
      while (System.currentTimeMillis() < deadline) {
        long last = arrivals.isEmpty() ? startedMs : arrivals.get(arrivals.size() - 1).atMs();
        if (System.nanoTime() / 1_000_000 - last >= quiet.toMillis()) return;
        pause(50);
      }
      throw new AssertionError(room + " never went quiet: " + arrivals);
    }

    JsonObject last() {
      return arrivals.get(arrivals.size() - 1).message().getJsonObject("data");
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      client.close();
    }
  }

  static long upcoming(String token) {
    Api.Response r = api.get("/api/metrics/dashboard", token);
    assertEquals(200, r.status(), r::toString);
    return r.json().getJsonObject("sessions").getLong("upcoming");
  }

  /** Creates {@code n} sessions of mentorA with studentA, one after another; returns when the last was created. */
  static long createSessions(int n) {
    for (int i = 0; i < n; i++) {
      Instant start = nextSlot;
      nextSlot = nextSlot.plusSeconds(3600);
      Api.Response r = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
        .put("studentId", school.studentA.id()).put("title", "Session " + i)
        .put("startTime", start.toString()).put("endTime", start.plusSeconds(1800).toString()));
      assertEquals(201, r.status(), r::toString);
    }
    return System.nanoTime() / 1_000_000;
  }

  static Predicate<JsonObject> upcomingIs(long n) {
    return data -> data.getJsonObject("sessions").getLong("upcoming") == n;
  }

  /** After the final numbers came, nothing may follow within 2 s; waiting that long is the only way to see it. */
  static void quietAfter(Recorder... recorders) {
    pause(2_500);
    for (Recorder r : recorders) r.assertCoalesced();
  }

  @Test
  @DisplayName("20 session changes within a second reach each room as at most one metrics:updated per 2 s, the last with the final numbers, within about 2 s")
  void coalesced() {
    awaitFlusher();
    try (Recorder mentor = new Recorder(Rooms.mentor(school.mentorA.id()), school.mentorA.token());
         Recorder admin = new Recorder(Rooms.role("admin"), school.admin.token())) {
      mentor.awaitQuiet(Duration.ofMillis(2_200));
      admin.awaitQuiet(Duration.ofMillis(2_200));
      long mentorBase = upcoming(school.mentorA.token());
      long adminBase = upcoming(school.admin.token());
      long t0 = System.nanoTime() / 1_000_000;
      long done = createSessions(20);

      Recorder.Arrival m = mentor.awaitSnapshot(upcomingIs(mentorBase + 20), Duration.ofSeconds(10));
      Recorder.Arrival a = admin.awaitSnapshot(upcomingIs(adminBase + 20), Duration.ofSeconds(10));
      // 2 s of coalescing plus the snapshot query; generous for a loaded test machine
      assertTrue(m.atMs() - done <= 3_000, "mentor fresh after " + (m.atMs() - done) + " ms; t0=" + t0 + " done=" + done
        + " " + mentor.arrivals.stream().map(x -> x.atMs() + ":" + x.message().getJsonObject("data").getJsonObject("sessions").getLong("upcoming")).toList());
      assertTrue(a.atMs() - done <= 3_000, "admin fresh after " + (a.atMs() - done) + " ms");
      quietAfter(mentor, admin);

      assertEquals(mentorBase + 20, mentor.last().getJsonObject("sessions").getLong("upcoming"));
      assertEquals(adminBase + 20, admin.last().getJsonObject("sessions").getLong("upcoming"));
      assertEquals(new JsonObject().put("role", "mentor").put("mentorId", school.mentorA.id()),
        mentor.last().getJsonObject("scope"));
      assertEquals(new JsonObject().put("role", "admin"), admin.last().getJsonObject("scope"));
      long pushes = mentor.arrivals.stream().filter(x -> x.atMs() >= t0).count();
      assertTrue(pushes <= 3, "20 changes coalesced into " + pushes + " pushes");
    }
  }

  @Test
  @DisplayName("changes while nobody watches a mentor's room are not pushed to it then, but as soon as a socket joins it")
  void unwatchedScopeIsPushedOnceWatched() {
    awaitFlusher();
    String room = Rooms.mentor(school.mentorA.id());
    // no socket in the mentor's room: the flusher forgets it within three announcement rounds
    pause(3 * RealtimeAddresses.WATCHERS_EVERY_MS + 500);
    long base = upcoming(school.mentorA.token());
    createSessions(2);
    pause(2_500); // the changes' pushes would have come by now
    long t0 = System.nanoTime() / 1_000_000;
    try (Recorder mentor = new Recorder(room, school.mentorA.token())) {
      Recorder.Arrival a = mentor.awaitSnapshot(upcomingIs(base + 2), Duration.ofSeconds(5));
      assertTrue(a.atMs() - t0 <= 3_000, "pushed " + (a.atMs() - t0) + " ms after the mentor's socket joined");
    }
  }

  @Test
  @DisplayName("another mentor's room hears nothing of mentorA's changes")
  void otherMentorUntouched() {
    awaitFlusher();
    try (Recorder other = new Recorder(Rooms.mentor(school.mentorB.id()), school.mentorB.token());
         Recorder mentor = new Recorder(Rooms.mentor(school.mentorA.id()), school.mentorA.token())) {
      other.awaitQuiet(Duration.ofMillis(2_200));
      int before = other.arrivals.size();
      long base = upcoming(school.mentorA.token());
      createSessions(1);
      mentor.awaitSnapshot(upcomingIs(base + 1), Duration.ofSeconds(10));
      pause(500);
      assertEquals(before, other.arrivals.size(), "mentorB got " + other.arrivals);
    }
  }

  @Test
  @DisplayName("a change without a domain event, reported on metrics.touched with a student's room, refreshes that student's mentor")
  void touchedByStudentRoom() throws SQLException {
    awaitFlusher();
    try (Recorder mentor = new Recorder(Rooms.mentor(school.mentorA.id()), school.mentorA.token())) {
      Api.Response before = api.get("/api/metrics/dashboard", school.mentorA.token());
      long done = before.json().getJsonObject("tasks").getLong("done");
      insertDoneTask(portal, school.mentorA.id(), school.studentA.id());
      portal.node().vertx().eventBus().publish(MetricsAddresses.TOUCHED,
        new JsonObject().put("rooms", new io.vertx.core.json.JsonArray().add(Rooms.student(school.studentA.id()))));
      mentor.awaitSnapshot(data -> data.getJsonObject("tasks").getLong("done") == done + 1, Duration.ofSeconds(5));
      mentor.assertCoalesced();
    }
  }

  @Test
  @DisplayName("two DashboardMetrics instances on one node still push at most one metrics:updated per room every 2 s")
  void competingInstances() {
    String second = deploySecond();
    try (Recorder mentor = new Recorder(Rooms.mentor(school.mentorA.id()), school.mentorA.token());
         Recorder admin = new Recorder(Rooms.role("admin"), school.admin.token())) {
      pause(1_500); // the second instance has tried the lock at least once by now
      assertEquals(1, lockHolders().size(), "exactly one instance holds the flusher lock");
      long mentorBase = upcoming(school.mentorA.token());
      long adminBase = upcoming(school.admin.token());
      for (int burst = 0; burst < 3; burst++) {
        createSessions(4);
        pause(700);
      }
      mentor.awaitSnapshot(upcomingIs(mentorBase + 12), Duration.ofSeconds(10));
      admin.awaitSnapshot(upcomingIs(adminBase + 12), Duration.ofSeconds(10));
      quietAfter(mentor, admin);
      assertEquals(mentorBase + 12, mentor.last().getJsonObject("sessions").getLong("upcoming"));
    } finally {
      portal.node().vertx().undeploy(second).await();
      awaitFlusher();
    }
  }

  @Test
  @DisplayName("when the flusher's database connection dies, another instance takes over and pushes continue, still spaced")
  void failover() throws SQLException {
    String second = deploySecond();
    try (Recorder mentor = new Recorder(Rooms.mentor(school.mentorA.id()), school.mentorA.token())) {
      pause(1_500);
      List<Integer> holders = lockHolders();
      assertEquals(1, holders.size());
      int old = holders.get(0);
      try (Connection c = portal.database().jdbc(); Statement s = c.createStatement()) {
        s.execute("SELECT pg_terminate_backend(" + old + ")");
      }
      long deadline = System.currentTimeMillis() + 10_000;
      List<Integer> now = lockHolders();
      while ((now.isEmpty() || now.contains(old)) && System.currentTimeMillis() < deadline) {
        pause(100);
        now = lockHolders();
      }
      assertEquals(1, now.size(), "a new flusher holds the lock");
      assertNotEquals(old, now.get(0));
      long base = upcoming(school.mentorA.token());
      createSessions(3);
      mentor.awaitSnapshot(upcomingIs(base + 3), Duration.ofSeconds(10));
      quietAfter(mentor);
      assertEquals(base + 3, mentor.last().getJsonObject("sessions").getLong("upcoming"));
    } finally {
      portal.node().vertx().undeploy(second).await();
      awaitFlusher();
    }
  }

  /** A second DashboardMetrics on the same node, as a second node's would be: it competes for the lock. */
  static String deploySecond() {
    JsonObject config = new JsonObject()
      .put(ConfigKeys.DB, PortalConfig.dbJson(portal.node().database(), 4))
      .put(DashboardMetrics.CONFIG_LEADER_RETRY_MS, 500);
    return portal.node().vertx().deployVerticle(new DashboardMetrics(), new DeploymentOptions().setConfig(config))
      .await();
  }

  /** A done task of the student, written straight into the database: a change no store reports. */
  static void insertDoneTask(TestPortal on, long mentorId, long studentId) throws SQLException {
    try (Connection c = on.database().jdbc(); Statement s = c.createStatement()) {
      s.execute("WITH t AS (INSERT INTO tasks (mentor_id, student_id, title, status) VALUES ("
        + mentorId + ", " + studentId + ", 'Read', 'done') RETURNING id)"
        + " INSERT INTO task_assignees (task_id, student_id, status) SELECT id, " + studentId + ", 'done' FROM t");
    }
  }

  /** Until some instance holds the flusher lock (after a failover or an undeploy, the next try takes it). */
  static void awaitFlusher() {
    awaitFlusher(portal);
  }

  static void awaitFlusher(TestPortal on) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (lockHolders(on).size() != 1 && System.currentTimeMillis() < deadline) pause(50);
    assertEquals(1, lockHolders(on).size(), "one flusher");
  }

  /** Backends of this test's database holding the flusher lock. */
  static List<Integer> lockHolders() {
    return lockHolders(portal);
  }

  static List<Integer> lockHolders(TestPortal on) {
    try (Connection c = on.database().jdbc(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
           + " AND classid = 0 AND objid = " + DashboardMetrics.LOCK_KEY + " AND objsubid = 1"
           + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
      List<Integer> pids = new CopyOnWriteArrayList<>();
      while (rs.next()) pids.add(rs.getInt(1));
      return pids;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
