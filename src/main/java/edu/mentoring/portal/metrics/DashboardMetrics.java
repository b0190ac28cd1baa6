package edu.mentoring.portal.metrics;

import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.common.Db;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.events.FeedAddresses;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import edu.mentoring.portal.realtime.Rooms;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.templates.SqlTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Dashboard snapshots ({@code GET /api/metrics/dashboard}), and their coalesced {@code metrics:updated} pushes.
 *
 * <p>Every instance (one per node, or more) hears every stamped event, but only the instance holding the
 * session-level advisory lock {@link #LOCK_KEY} on its own dedicated connection pushes: otherwise a room would get
 * one push per node. It marks the scopes an event touches dirty and pushes each dirty scope at the earliest moment
 * that keeps it at most one push per room every {@link #MIN_INTERVAL_MS}: right away (after a short debounce) when
 * the room has been quiet, else exactly {@link #MIN_INTERVAL_MS} after its previous push. Snapshots for pushes are
 * read over the lock's connection, so an instance that lost its lock cannot push any more.
 *
 * <p>The lock's connection does one thing at a time (the lock, a ping, or one snapshot: {@link #busy}), and the
 * snapshots' cadence follows their cost: a scope whose snapshots take {@code d} is pushed again no sooner than
 * {@code COST_FACTOR × d} after its last push (never sooner than 2 s), and all snapshots together take at most
 * 1/{@value #COST_FACTOR} of one database session's time in the long run ({@link SnapshotBudget}), however many
 * scopes are dirty (docs/metrics.md).
 */
public class DashboardMetrics extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardMetrics.class);

  /** Advisory-lock key of the flusher election ("METR"; the event log's Outbox uses another key). */
  static final long LOCK_KEY = 0x4D45_5452L;
  /** Contract: at most one {@code metrics:updated} per room every 2 s. */
  static final long MIN_INTERVAL_MS = 2_000;
  /** Events committed close together make one push rather than two. */
  static final long DEBOUNCE_MS = 50;
  /** How often a non-flusher tries the lock, and the flusher checks its connection. */
  public static final String CONFIG_LEADER_RETRY_MS = "metricsLeaderRetryMs";
  static final long LEADER_RETRY_MS = 3_000;
  /** Safety net for changes that raise no event and nobody reported on {@link MetricsAddresses#TOUCHED}. */
  public static final String CONFIG_SWEEP_MS = "metricsSweepMs";
  static final long SWEEP_MS = 30_000;
  /** A ping or lock query on the lock's connection slower than this means the connection is gone. */
  static final long CONNECTION_TIMEOUT_MS = 5_000;
  /** Snapshots for pushes take at most 1/COST_FACTOR of the flusher's time, and of each scope's. */
  static final long COST_FACTOR = 20;
  /** Snapshot time the flusher may spend in a row before the budget makes it pause. */
  static final long BURST_MS = 1_000;
  /** Students per query of a snapshot, and the pause between two queries of a push's snapshot. */
  static final int SLICE = 250;
  static final long SLICE_PAUSE_MS = 5;
  /** Events that change no number on the dashboard. */
  static final Set<String> IRRELEVANT = Set.of(EventTypes.COMMENT_ADDED);
  static final List<String> ENTRY_STATUSES = List.of("draft", "submitted", "in_review", "approved", "needs_revision");

  private Pool pool;
  private PgConnectOptions lockOptions;
  /**
   * A snapshot the server has not cancelled by now (both its queries at the statement timeout, and then some)
   * means the connection stopped answering. The server's statement timeout cancels a slow one first, and the
   * connection stays usable.
   */
  private long snapshotTimeoutMs;
  private PgConnection lockConnection;
  private boolean flusher;
  private long flusherSince;
  private boolean stopped;
  /** Work in progress on the lock's connection (trying the lock, a ping, a snapshot): nothing else starts. */
  private boolean busy;
  private long flushTimer = -1;
  private long flushTimerDue;
  private final List<Long> periodic = new ArrayList<>();
  /** Dirty scopes and since when (monotonic ms). */
  private final Map<Scope, Long> dirtySince = new HashMap<>();
  /** When each scope was last pushed (monotonic ms); older than MIN_INTERVAL_MS entries are dropped. */
  private final Map<Scope, Long> lastPush = new HashMap<>();
  /** What each scope was last pushed (without generatedAt): an unchanged snapshot is not pushed again. */
  private final Map<Scope, String> lastPushed = new HashMap<>();
  /** What each scope's snapshots cost: its next push waits COST_FACTOR times that. */
  private final Map<Scope, Cost> cost = new HashMap<>();
  private SnapshotBudget budget;
  /** No snapshot starts before this (monotonic ms): the budget is spent until then. */
  private long quietUntil;

  /**
   * A scope's last snapshot time and the time its spacing counts: the lesser of its last two successful ones, so
   * that one slow read (a cold connection, a pause) does not stretch the cadence and two do; a failed read counts
   * at once (ms).
   */
  record Cost(long last, long counted) {
    Cost next(long took, boolean failed) {
      return new Cost(took, failed ? took : Math.min(took, last));
    }
  }
  /** Rooms of scopes someone watches, by when a node last said so (monotonic ms). */
  private final Map<String, Long> watched = new HashMap<>();
  /** Scopes that changed while nobody watched: pushed once someone does. */
  private final Set<Scope> unwatched = new HashSet<>();
  /** A room not announced for this long has nobody in it (nodes announce every WATCHERS_EVERY_MS). */
  static final long WATCHED_FOR_MS = 3 * RealtimeAddresses.WATCHERS_EVERY_MS;
  /** Students and cohorts touched, whose mentors are not known yet; and since when (-1: none). */
  private final Set<Long> unresolvedStudents = new HashSet<>();
  private final Set<Long> unresolvedCohorts = new HashSet<>();
  private long unresolvedSince = -1;

  /** The admin's scope (everything, {@code mentorId} null) or a mentor's. */
  record Scope(Long mentorId) {
    static final Scope ADMIN = new Scope(null);

    static Scope mentor(long id) { return new Scope(id); }

    boolean isAdmin() { return mentorId == null; }

    String room() { return isAdmin() ? Rooms.role(Role.ADMIN.wire()) : Rooms.mentor(mentorId); }

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("role", isAdmin() ? Role.ADMIN.wire() : Role.MENTOR.wire());
      if (!isAdmin()) json.put("mentorId", mentorId);
      return json;
    }
  }

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    lockOptions = Db.connectOptions(config().getJsonObject(ConfigKeys.DB));
    snapshotTimeoutMs = 2 * Db.statementTimeoutMs(config().getJsonObject(ConfigKeys.DB)) + CONNECTION_TIMEOUT_MS;
    long retry = config().getLong(CONFIG_LEADER_RETRY_MS, LEADER_RETRY_MS);
    long sweep = config().getLong(CONFIG_SWEEP_MS, SWEEP_MS);
    periodic.add(vertx.setPeriodic(retry, id -> campaign()));
    periodic.add(vertx.setPeriodic(sweep, id -> markAll()));
    return Future.all(
        Bus.serve(vertx, MetricsAddresses.DASHBOARD, Map.of(), this::dashboard).completion(),
        vertx.eventBus().<JsonObject>consumer(FeedAddresses.STAMPED, msg -> stamped(msg.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(RealtimeAddresses.WATCHERS, msg -> watchers(msg.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(MetricsAddresses.TOUCHED,
          msg -> touched(msg.body() == null ? null : msg.body().getJsonArray("rooms"))).completion())
      .onSuccess(v -> campaign());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    periodic.forEach(vertx::cancelTimer);
    stepDown();
    PgConnection c = lockConnection;
    lockConnection = null;
    // closing the session releases the lock at once: another instance takes over at its next try
    return c == null ? Future.succeededFuture() : c.close();
  }

  // ------------------------------------------------------------------ snapshots

  private Future<JsonObject> dashboard(BusRequest req) {
    Actor actor = req.actor();
    Scope scope = switch (actor.role()) {
      case ADMIN -> Scope.ADMIN;
      case MENTOR -> Scope.mentor(actor.id());
      case STUDENT -> throw PortalException.forbidden("the dashboard is for mentors and admins");
    };
    return pool.withConnection(conn -> snapshot(vertx, conn, scope, 0, new long[1]));
  }

  /**
   * One consistent read: every query in one repeatable-read, read-only transaction. The students are read
   * {@link #SLICE} at a time with {@code pauseMs} between slices (a push's snapshot yields the cores to the events
   * between slices instead of holding one for a whole school's aggregate); {@code spent} gathers the queries' time.
   */
  static Future<JsonObject> snapshot(Vertx vertx, SqlConnection conn, Scope scope, long pauseMs, long[] spent) {
    Map<String, Object> p = new HashMap<>();
    p.put("mentorId", scope.mentorId());
    p.put("limit", SLICE);
    String generatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    List<Row> students = new ArrayList<>();
    return conn.begin().compose(tx -> conn.query(MetricsSql.CONSISTENT_READ).execute()
      .compose(v -> slices(vertx, conn, p, 0, students, pauseMs, spent))
      .compose(v -> timed(SqlTemplate.forQuery(conn, MetricsSql.SESSION_TOTALS).execute(p), spent))
      .map(totals -> build(scope, generatedAt, students, totals.iterator().next()))
      .compose(snapshot -> tx.commit().map(snapshot),
        t -> tx.rollback().otherwiseEmpty().transform(x -> Future.<JsonObject>failedFuture(t))));
  }

  /** The scope's students after {@code afterId}, a slice per query, until a short slice. */
  private static Future<Void> slices(Vertx vertx, SqlConnection conn, Map<String, Object> p, long afterId,
                                     List<Row> into, long pauseMs, long[] spent) {
    p.put("afterId", afterId);
    return timed(SqlTemplate.forQuery(conn, MetricsSql.PER_STUDENT).execute(p), spent).compose(rows -> {
      long last = afterId;
      for (Row r : rows) {
        into.add(r);
        last = r.getLong("id");
      }
      if (rows.size() < SLICE) return Future.succeededFuture();
      long next = last;
      Future<?> pause = pauseMs > 0 ? vertx.timer(pauseMs) : Future.succeededFuture();
      return pause.compose(v -> slices(vertx, conn, p, next, into, pauseMs, spent));
    });
  }

  private static <T> Future<T> timed(Future<T> query, long[] spent) {
    long t0 = System.nanoTime();
    return query.andThen(ar -> spent[0] += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  /** Students in name order, as the dashboard lists them. */
  static JsonObject build(Scope scope, String generatedAt, List<Row> students, Row totals) {
    students.sort(Comparator.comparing((Row r) -> r.getString("name")).thenComparing(r -> r.getLong("id")));
    JsonObject entries = new JsonObject();
    ENTRY_STATUSES.forEach(s -> entries.put(s, 0L));
    long tasksOpen = 0;
    long tasksDone = 0;
    JsonArray perStudent = new JsonArray();
    for (Row r : students) {
      JsonObject own = new JsonObject();
      for (String s : ENTRY_STATUSES) {
        own.put(s, r.getLong(s));
        entries.put(s, entries.getLong(s) + r.getLong(s));
      }
      tasksOpen += r.getLong("tasks_open");
      tasksDone += r.getLong("tasks_done");
      perStudent.add(new JsonObject()
        .put("studentId", r.getLong("id"))
        .put("name", r.getString("name"))
        .put("entries", own)
        .put("sessionsCompleted", r.getLong("sessions_completed"))
        .put("sessionsUpcoming", r.getLong("sessions_upcoming"))
        .put("attendanceRate", rate(r.getLong("attended"), r.getLong("absent")))
        .put("tasksOpen", r.getLong("tasks_open"))
        .put("tasksDone", r.getLong("tasks_done")));
    }
    return new JsonObject()
      .put("scope", scope.toJson())
      .put("generatedAt", generatedAt)
      .put("students", (long) perStudent.size())
      .put("entries", entries)
      .put("sessions", new JsonObject()
        .put("upcoming", totals.getLong("upcoming"))
        .put("completed", totals.getLong("completed"))
        .put("missed", totals.getLong("missed"))
        .put("cancelled", totals.getLong("cancelled")))
      .put("attendanceRate", rate(totals.getLong("attended"), totals.getLong("absent")))
      .put("tasks", new JsonObject().put("open", tasksOpen).put("done", tasksDone))
      .put("perStudent", perStudent);
  }

  /** attended / (attended + absent), or null when nobody was marked yet. */
  static Double rate(long attended, long absent) {
    return attended + absent == 0 ? null : (double) attended / (attended + absent);
  }

  // ------------------------------------------------------------------ what changed

  private void stamped(JsonObject body) {
    if (!flusher || body == null) return;
    JsonObject event = body.getJsonObject("event");
    if (event != null && IRRELEVANT.contains(event.getString("type"))) return;
    if (event != null && EventTypes.RELATIONSHIPS_CHANGED.equals(event.getString("type"))) {
      markAll(); // who mentors whom changed: the student's former mentor is not named, so every scope is refreshed
      return;
    }
    touched(body.getJsonArray("rooms"));
  }

  /** Rooms of a change → scopes: the admin's always; mentor:{m} directly; student/cohort rooms via their mentors. */
  private void touched(JsonArray rooms) {
    if (!flusher) return;
    mark(Scope.ADMIN);
    if (rooms == null) return;
    List<Long> students = new ArrayList<>();
    List<Long> cohorts = new ArrayList<>();
    for (Object room : rooms) {
      String[] parts = Rooms.parse(room instanceof String s ? s : null);
      if (parts == null || !parts[1].matches("\\d{1,18}")) continue;
      long id = Long.parseLong(parts[1]);
      switch (parts[0]) {
        case "mentor" -> mark(Scope.mentor(id));
        case "student" -> students.add(id);
        case "cohort" -> cohorts.add(id);
        default -> {
          // user and role rooms name no mentor's scope
        }
      }
    }
    if (students.isEmpty() && cohorts.isEmpty()) return;
    unresolvedStudents.addAll(students);
    unresolvedCohorts.addAll(cohorts);
    if (unresolvedSince < 0) {
      unresolvedSince = now();
      vertx.setTimer(DEBOUNCE_MS, id -> resolveMentors());
    }
  }

  /**
   * The mentors of the students and cohorts touched in the last debounce window, in one query (not one per
   * event); their scopes are dirty since the first of those changes, so the 2 s freshness bound still holds.
   */
  private void resolveMentors() {
    long since = unresolvedSince;
    List<Long> students = List.copyOf(unresolvedStudents);
    List<Long> cohorts = List.copyOf(unresolvedCohorts);
    unresolvedStudents.clear();
    unresolvedCohorts.clear();
    unresolvedSince = -1;
    if (!flusher) return;
    Map<String, Object> p = Map.of("studentIds", students.toArray(new Long[0]), "cohortIds", cohorts.toArray(new Long[0]));
    SqlTemplate.forQuery(pool, MetricsSql.MENTORS_OF).execute(p)
      .onSuccess(rows -> rows.forEach(r -> mark(Scope.mentor(r.getLong("mentor_id")), since)))
      .onFailure(t -> {
        LOG.warn("could not resolve the mentors of students {} and cohorts {}, refreshing every scope: {}",
          students, cohorts, t.getMessage());
        markAll();
      });
  }

  /** A node's rooms of pushed state with sockets: scopes that changed while unwatched are pushed now. */
  private void watchers(JsonObject body) {
    if (body == null) return;
    long now = now();
    for (Object room : body.getJsonArray("rooms", new JsonArray())) {
      if (room instanceof String r) watched.put(r, now);
    }
    watched.values().removeIf(seen -> now - seen > WATCHED_FOR_MS);
    for (java.util.Iterator<Scope> it = unwatched.iterator(); it.hasNext(); ) {
      Scope scope = it.next();
      if (isWatched(scope, now)) {
        it.remove();
        mark(scope);
      }
    }
  }

  private boolean isWatched(Scope scope, long now) {
    Long seen = watched.get(scope.room());
    return seen != null && now - seen <= WATCHED_FOR_MS;
  }

  private void markAll() {
    if (!flusher) return;
    mark(Scope.ADMIN);
    SqlTemplate.forQuery(pool, MetricsSql.ALL_MENTORS).execute(Map.of())
      .onSuccess(rows -> rows.forEach(r -> mark(Scope.mentor(r.getLong("mentor_id")))))
      .onFailure(t -> LOG.warn("could not list mentors: {}", t.getMessage()));
  }

  private void mark(Scope scope) {
    mark(scope, now());
  }

  /** Dirty since the earliest change not yet pushed. */
  private void mark(Scope scope, long since) {
    if (!flusher) return;
    dirtySince.merge(scope, since, Math::min);
    schedule();
  }

  // ------------------------------------------------------------------ coalesced pushes

  /**
   * The earliest moment a dirty scope may be pushed: after the debounce, its spacing (2 s, or COST_FACTOR times what
   * its snapshots cost) after its last push, and once the snapshot budget allows another snapshot.
   */
  private long dueAt(Scope scope, long since) {
    return Math.max(Math.max(since + DEBOUNCE_MS, lastPush.getOrDefault(scope, flusherSince) + spacing(scope)),
      quietUntil);
  }

  private long spacing(Scope scope) {
    Cost c = cost.get(scope);
    return Math.max(MIN_INTERVAL_MS, c == null ? 0 : COST_FACTOR * c.counted());
  }

  /** One timer, set for the earliest due scope; work in progress on the connection reschedules when it ends. */
  private void schedule() {
    if (!flusher || busy || dirtySince.isEmpty()) return;
    long due = Long.MAX_VALUE;
    for (Map.Entry<Scope, Long> e : dirtySince.entrySet()) due = Math.min(due, dueAt(e.getKey(), e.getValue()));
    if (flushTimer != -1) {
      if (flushTimerDue <= due) return;
      vertx.cancelTimer(flushTimer);
    }
    flushTimerDue = due;
    flushTimer = vertx.setTimer(Math.max(1, due - now()), id -> {
      flushTimer = -1;
      flush();
    });
  }

  /** Pushes the scope due first (one snapshot at a time), then schedules the next. */
  private void flush() {
    if (!flusher || busy) return;
    long now = now();
    lastPush.entrySet().removeIf(e -> now - e.getValue() >= spacing(e.getKey())); // as good as never pushed
    Scope next = null;
    long nextDue = Long.MAX_VALUE;
    for (Map.Entry<Scope, Long> e : dirtySince.entrySet()) {
      long due = dueAt(e.getKey(), e.getValue());
      if (due < nextDue) {
        nextDue = due;
        next = e.getKey();
      }
    }
    if (next == null || nextDue > now) {
      schedule();
      return;
    }
    dirtySince.remove(next); // a change from now on marks it dirty again
    if (!isWatched(next, now)) {
      // nobody would see it: no snapshot (a page that opens reads the dashboard itself); pushed once watched
      unwatched.add(next);
      schedule();
      return;
    }
    busy = true;
    push(lockConnection, next).onComplete(ar -> idle());
  }

  /** The lock's connection is free again: whatever is due next may start. */
  private void idle() {
    busy = false;
    schedule();
  }

  private Future<Void> push(PgConnection c, Scope scope) {
    if (!holds(c)) return Future.succeededFuture();
    long started = now();
    long[] spent = new long[1];
    return snapshot(vertx, c, scope, SLICE_PAUSE_MS, spent).timeout(snapshotTimeoutMs, TimeUnit.MILLISECONDS)
      .andThen(ar -> {
        long now = now();
        // what the database spent (the pauses between slices are not cost); a failure counts its whole time
        long took = ar.failed() ? now - started : spent[0];
        cost.put(scope, cost.getOrDefault(scope, new Cost(0, 0)).next(took, ar.failed()));
        budget.spend(took, now);
        quietUntil = budget.nextStart(now);
      })
      .onSuccess(snapshot -> {
        if (!holds(c)) return; // lost the lock meanwhile: the next flusher pushes fresh numbers
        Object generatedAt = snapshot.remove("generatedAt");
        String fingerprint = snapshot.encode(); // all but generatedAt (no copy of a thousand students' rows)
        snapshot.put("generatedAt", generatedAt);
        if (fingerprint.equals(lastPushed.get(scope))) return;
        JsonObject message = new JsonObject()
          .put("type", EventTypes.METRICS_UPDATED)
          .put("occurredAt", snapshot.getString("generatedAt"))
          .put("data", snapshot);
        vertx.eventBus().publish(RealtimeAddresses.DELIVER,
          new JsonObject().put("rooms", new JsonArray().add(scope.room())).put("message", message));
        lastPush.put(scope, now());
        lastPushed.put(scope, fingerprint);
      })
      .<Void>mapEmpty()
      .recover(t -> {
        if (!holds(c)) {
          // stepped down or stopping: the connection was closed under the snapshot, nothing to retry here
          LOG.debug("metrics for {} abandoned: {}", scope.room(), t.toString());
          return Future.succeededFuture();
        }
        LOG.warn("metrics for {} failed, will retry: {}", scope.room(), t.toString());
        lastPush.put(scope, now()); // retry no sooner than a push would come
        dirtySince.putIfAbsent(scope, now());
        // a database error (e.g. the statement timeout) left the connection usable; no answer at all did not
        if (!(t instanceof PgException)) drop(c);
        return Future.succeededFuture();
      });
  }

  private boolean holds(PgConnection c) {
    return flusher && c != null && lockConnection == c;
  }

  // ------------------------------------------------------------------ flusher election

  /** Tries the lock (connecting first if needed); the flusher instead checks that its connection is alive. */
  private void campaign() {
    if (stopped || busy) return; // one thing at a time on the connection; work in progress checks it anyway
    if (flusher) {
      checkConnection();
      return;
    }
    busy = true;
    Future<PgConnection> conn = lockConnection != null ? Future.succeededFuture(lockConnection) : connect();
    conn.compose(c -> c.query(MetricsSql.TRY_LOCK).execute()
        .map(rows -> rows.iterator().next().getBoolean("locked"))
        .timeout(CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS) // a hung connection must not stop the campaign
        .onComplete(ar -> {
          if (ar.failed()) drop(c);
          else if (ar.result() && !stopped && lockConnection == c) elected();
        }))
      .onComplete(ar -> {
        if (ar.failed()) LOG.debug("metrics flusher election failed, will retry: {}", ar.cause().getMessage());
        idle();
      });
  }

  private Future<PgConnection> connect() {
    return PgConnection.connect(vertx, lockOptions).map(c -> {
      if (stopped) {
        c.close();
        throw new IllegalStateException("stopped");
      }
      lockConnection = c;
      c.closeHandler(v -> {
        if (lockConnection == c) {
          lockConnection = null;
          stepDown();
        }
      });
      c.exceptionHandler(t -> LOG.debug("metrics lock connection: {}", t.getMessage()));
      return c;
    });
  }

  private void checkConnection() {
    PgConnection c = lockConnection;
    if (c == null) return;
    busy = true;
    c.query(MetricsSql.PING).execute().timeout(CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("metrics lock connection lost: {}", ar.cause().getMessage());
          drop(c);
        }
        idle();
      });
  }

  private void elected() {
    flusher = true;
    flusherSince = now(); // the former flusher may have pushed just before it died: wait 2 s for every room
    dirtySince.clear();
    lastPush.clear();
    lastPushed.clear();
    cost.clear();
    budget = new SnapshotBudget(COST_FACTOR, BURST_MS, flusherSince);
    quietUntil = 0;
    LOG.info("this instance now pushes metrics:updated (advisory lock {})", LOCK_KEY);
    markAll(); // what the former flusher had pending is unknown: refresh every scope once
  }

  private void stepDown() {
    if (!flusher) return;
    flusher = false;
    dirtySince.clear();
    if (flushTimer != -1) vertx.cancelTimer(flushTimer);
    flushTimer = -1;
    LOG.info("this instance no longer pushes metrics:updated");
  }

  /** Ends the session, so the lock (if still ours) goes to another instance; we campaign again later. */
  private void drop(PgConnection c) {
    if (lockConnection == c) {
      lockConnection = null;
      stepDown();
    }
    c.close();
  }

  private static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}
