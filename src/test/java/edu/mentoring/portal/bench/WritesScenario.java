package edu.mentoring.portal.bench;

import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * (c) The HTTP write path: 1:1 session creates ({@code POST /api/schedules} with {@code studentId}) by several
 * mentors for their own students, never double-booked; closed loop at 64 connections, then an open loop at half the
 * rate reached. In the same run, on the same PostgreSQL, {@code pgbench} at as many connections: single-row inserts,
 * and a script with the statements of one create: the database's ceilings, which the creates/s are compared with.
 */
final class WritesScenario extends Scenario {
  static final Opt MENTORS = Opt.of("mentors", 16, "mentors creating sessions, each with their own students and token");
  static final Opt STUDENTS = Opt.of("students-per-mentor", 4, "students of each mentor");
  static final Opt CONNECTIONS = Opt.of("connections", 64,
    "concurrent HTTP connections (closed loop); pgbench clients");
  static final Opt SECONDS = Opt.of("seconds", 15, "closed-loop duration");
  static final Opt OPEN_SECONDS = Opt.of("open-seconds", 10, "open-loop duration at half the closed-loop rate");
  static final Opt PGBENCH_SECONDS = Opt.of("pgbench-seconds", 10, "duration of each pgbench run");
  static final Opt SCRIPT = Opt.of("pgbench-script", "src/test/resources/bench/create-1to1.pgbench",
    "pgbench script with the statements of one create's transaction");
  static final Opt BEHIND = Opt.of("pgbench-behind", "src/test/resources/bench/create-1to1-behind.pgbench",
    "pgbench script of what follows the creates (stamp, fan-out), run by one client beside the create script");
  static final Opt PGBENCH = Opt.of("pgbench", "on", "on, or off to skip pgbench");
  static final Opt POOL_CLIENTS = Opt.of("pgbench-pool-clients", 8,
    "also run the create script at this many clients: the node's pool (PORTAL_DB_POOL_SIZE); 0: not");
  static final String INSERT_SCRIPT = "INSERT INTO bench_scratch (payload) VALUES ('bench');\n";

  WritesScenario() {
    super("writes", "1:1 session creates over HTTP at 64 connections (closed loop), then at half that rate (open loop);"
      + " pgbench single-row inserts and the create's statements on the same PostgreSQL",
      MENTORS, STUDENTS, CONNECTIONS, SECONDS, OPEN_SECONDS, PGBENCH_SECONDS, SCRIPT, BEHIND, PGBENCH, POOL_CLIENTS,
      Warmup.OPTION, FanoutTargets.SIGN_UP_CONCURRENCY);
  }

  @Override
  void run(BenchRun run) throws Exception {
    Settings s = run.settings();
    int mentors = s.integer(MENTORS);
    int perMentor = s.integer(STUDENTS);
    int connections = s.integer(CONNECTIONS);
    Report report = run.report();
    TestDatabase db = run.freshDatabase();
    PortalServer server = PortalServer.start(run, "portal", db, Map.of(), 1);
    Http http = run.closeAtEnd(new Http(run.vertx(), "127.0.0.1", server.port(), connections));
    Accounts accounts = Accounts.signIn(http, PortalServer.ADMIN_EMAIL, PortalServer.ADMIN_PASSWORD);
    School school = School.build(accounts, mentors, perMentor, true, s.integer(FanoutTargets.SIGN_UP_CONCURRENCY));
    List<Member[]> pairs = new ArrayList<>();
    for (int p = 0; p < mentors * perMentor; p++) {
      long cohort = school.cohorts.get(p % mentors);
      pairs.add(new Member[] {school.mentorOf(cohort), school.membersOf(cohort).get(p / mentors)});
    }
    Slots slots = new Slots();
    // user u always acts as the same mentor for the same student: u % pairs
    BiFunction<Integer, Integer, Future<Http.Reply>> create = (user, n) -> {
      Member[] pair = pairs.get(user % pairs.size());
      return http.post("/api/schedules", pair[0].token(), slots.next().oneToOne(pair[1].id()));
    };

    report.result("warmup", Warmup.run(s.text(Warmup.OPTION), 500,
      n -> ClosedLoop.run(connections, 300, n, create), server.pid()));
    System.out.printf("closed loop: %d connections for %d s ...%n", connections, s.integer(SECONDS));
    CpuMeter cpu = CpuMeter.start(server.pid(), server.database());
    ClosedLoop closed = ClosedLoop.run(connections, s.integer(SECONDS), Integer.MAX_VALUE, create);
    JsonObject closedJson = new JsonObject().put("connections", connections)
      .put("seconds", Samples.round(closed.seconds())).put("createsPerSecond", Samples.round(closed.okPerSecond()))
      .put("latency", closed.latency.summary()).put("statuses", statuses(closed.statuses()))
      .put("cpuPerCreateMs", cpu.perOperation(closed.ok.get()));
    // what the creates left behind them (events not yet numbered, notifications not yet written), and how long the
    // node took to catch up: a write rate the follow-up work cannot sustain is not a rate
    JsonObject behind = behind(db);
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 60_000_000_000L && (behind(db).getLong("unstamped") > 0
      || behind(db).getLong("unnotified") > 0)) {
      Thread.sleep(50);
    }
    closedJson.put("behindAtEnd", behind).put("caughtUpSeconds", Samples.round((System.nanoTime() - t0) / 1e9));
    report.result("closedLoop", closedJson);

    double rate = Math.max(1, closed.okPerSecond() / 2);
    System.out.printf("open loop: %.0f creates/s for %d s ...%n", rate, s.integer(OPEN_SECONDS));
    List<OpenLoop.Started<Http.Reply>> open = OpenLoop.run(rate, s.integer(OPEN_SECONDS),
      (k, due) -> create.apply(k, k));
    int unanswered = OpenLoop.awaitAll(open, System.nanoTime() + 60_000_000_000L);
    Samples openLatency = new Samples();
    Map<Integer, Integer> openStatuses = new TreeMap<>();
    for (OpenLoop.Started<Http.Reply> st : open) {
      int status = st.succeeded() ? st.value().status() : 0;
      openStatuses.merge(status, 1, Integer::sum);
      if (st.succeeded()) openLatency.add(st.ms());
    }
    JsonObject openJson = new JsonObject().put("rate", Samples.round(rate)).put("creates", open.size())
      .put("unanswered", unanswered).put("latencyFromDue", openLatency.summary())
      .put("statuses", statuses(openStatuses));
    report.result("openLoop", openJson);
    report.result("server", server.describe());
    run.closeNow(server); // pgbench gets the cores to itself, as the portal had them

    Table t = new Table("writes: 1:1 session creates over HTTP (" + mentors + " mentors × " + perMentor
      + " students), and pgbench on the same PostgreSQL", "phase", "per s", "p50 ms", "p99 ms", "max ms", "not 2xx");
    t.row("portal, closed loop, " + connections + " connections", closed.okPerSecond(), closed.latency.p(50),
      closed.latency.p(99), closed.latency.p(100), notOk(closed.statuses()));
    t.row("portal, behind at the end of the closed loop: " + behind.getLong("unstamped") + " unstamped, "
      + behind.getLong("unnotified") + " unnotified; caught up after (s)", closedJson.getDouble("caughtUpSeconds"),
      null, null, null, "");
    t.row(String.format("portal, open loop at %.0f/s", rate), (double) open.size() / s.integer(OPEN_SECONDS),
      openLatency.p(50), openLatency.p(99), openLatency.p(100), notOk(openStatuses));
    Pgbench pgbench = Pgbench.find();
    if (!s.text(PGBENCH).equals("on")) {
      report.baselineSkipped("pgbench", "--pgbench off");
    } else if (pgbench == null) {
      report.baselineSkipped("pgbench", "pgbench is not installed (/usr/bin/pgbench or on the PATH)");
    } else {
      pgbenchRuns(run, db, pgbench, pairs, List.of(connections, s.integer(POOL_CLIENTS)), s.integer(PGBENCH_SECONDS),
        Path.of(s.text(SCRIPT)), Path.of(s.text(BEHIND)), closed.okPerSecond(), t);
    }
    report.print(t);
  }

  /**
   * Single-row inserts and the create script at {@code clients.get(0)} (the portal's connections), and the create
   * script again at {@code clients.get(1)} (the node's pool size) unless that is 0.
   */
  private static void pgbenchRuns(BenchRun run, TestDatabase db, Pgbench pgbench, List<Member[]> pairs,
                                  List<Integer> clients, int seconds, Path script, Path behind,
                                  double createsPerSecond, Table t)
    throws Exception {
    Report report = run.report();
    try (Connection c = db.jdbc(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE bench_scratch (id bigserial PRIMARY KEY, payload text NOT NULL, "
        + "created_at timestamptz NOT NULL DEFAULT now())");
      st.execute("CREATE TABLE bench_pairs (k int PRIMARY KEY, mentor bigint NOT NULL, student bigint NOT NULL)");
      st.execute("CREATE SEQUENCE bench_slot");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_pairs VALUES (?, ?, ?)")) {
        for (int k = 0; k < pairs.size(); k++) {
          ps.setInt(1, k);
          ps.setLong(2, pairs.get(k)[0].id());
          ps.setLong(3, pairs.get(k)[1].id());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    Path insert = run.logDir().resolve("insert-1row.pgbench");
    Files.createDirectories(insert.getParent());
    Files.writeString(insert, INSERT_SCRIPT);
    int main = clients.get(0);
    System.out.printf("pgbench: single-row inserts, %d clients, %d s ...%n", main, seconds);
    JsonObject rows = pgbench.run(db, insert, main, seconds, Map.of(), run.logDir());
    report.baseline("pgbenchInsert", rows.put("version", pgbench.version()));
    pgbenchRow(t, "pgbench, single-row insert, " + main + " clients", rows);
    List<JsonObject> creates = new ArrayList<>();
    for (int n : clients) {
      if (n <= 0) continue;
      System.out.printf("pgbench: %s, %d clients, %d s ...%n", script, n, seconds);
      long before = db.count("SELECT count(*) FROM schedules");
      // what follows the creates (stamp, fan-out) runs beside them, one client, as one sequencer and one fan-out
      // run beside the portal's commands
      CompletableFuture<JsonObject> follower = CompletableFuture.supplyAsync(() -> {
        try {
          return pgbench.run(db, behind, 1, seconds, Map.of(), run.logDir());
        } catch (Exception e) {
          return new JsonObject().put("error", String.valueOf(e));
        }
      });
      JsonObject r = pgbench.run(db, script, n, seconds, Map.of("pairs", Integer.toString(pairs.size())),
        run.logDir());
      r.put("behind", follower.get());
      // the script really created sessions (and their attendee, event, notification): a check on the script itself
      r.put("sessionsWritten", db.count("SELECT count(*) FROM schedules") - before);
      // whether the one follower kept up: events it had not stamped, or not notified, when both stopped
      JsonObject left = behind(db);
      r.put("unstampedAtEnd", left.getLong("unstamped")).put("unnotifiedAtEnd", left.getLong("unnotified"));
      // the follower alone until nothing is behind (so the next run starts clean): how long it needed to catch up
      long t0 = System.nanoTime();
      for (int i = 0; i < 60 && (behind(db).getLong("unstamped") > 0 || behind(db).getLong("unnotified") > 0); i++) {
        pgbench.run(db, behind, 1, 1, Map.of(), run.logDir());
      }
      creates.add(r.put("caughtUpSeconds", Samples.round((System.nanoTime() - t0) / 1e9)));
      pgbenchRow(t, "pgbench, " + script.getFileName() + ", " + n + " clients", r);
    }
    report.baseline("pgbenchCreate", creates.get(0));
    if (creates.size() > 1) report.baseline("pgbenchCreateAtPoolSize", creates.get(1));
    ratioRow(report, t, "pgbenchInsert", "inserts, " + main + " clients", createsPerSecond, rows);
    ratioRow(report, t, "pgbenchCreate", "create script, " + main + " clients", createsPerSecond, creates.get(0));
    if (creates.size() > 1) {
      ratioRow(report, t, "pgbenchCreateAtPoolSize", "create script, " + clients.get(1) + " clients",
        createsPerSecond, creates.get(1));
    }
  }

  /** Events committed but not numbered yet, and numbered but not notified yet. */
  private static JsonObject behind(TestDatabase db) {
    long head = db.count("SELECT COALESCE(max(id), 0) FROM activity_feed");
    return new JsonObject().put("unstamped", db.count("SELECT count(*) FROM activity_feed WHERE id IS NULL"))
      .put("unnotified", head - db.count("SELECT position FROM event_cursors WHERE name = 'notified'"));
  }

  private static void ratioRow(Report report, Table t, String baseline, String what, double createsPerSecond,
                               JsonObject pgbench) {
    Double tps = pgbench.getDouble("tps");
    if (tps == null) return;
    report.ratio(baseline, "createsPerSecond", createsPerSecond, tps);
    t.row("portal creates/s as % of pgbench " + what, 100 * createsPerSecond / tps, null, null, null, "");
  }

  private static void pgbenchRow(Table t, String name, JsonObject r) {
    String behind = r.containsKey("unstampedAtEnd") ? "; behind at the end: " + r.getLong("unstampedAtEnd")
      + " unstamped, " + r.getLong("unnotifiedAtEnd") + " unnotified, caught up after "
      + r.getDouble("caughtUpSeconds") + " s" : "";
    t.row(name, r.getDouble("tps"), null, null, null, r.containsKey("error") ? r.getString("error")
      : "avg " + Table.cell(r.getDouble("latencyAverageMs")) + " ms" + behind);
  }

  private static JsonObject statuses(Map<Integer, Integer> byStatus) {
    JsonObject j = new JsonObject();
    byStatus.forEach((k, v) -> j.put(k == 0 ? "no reply" : k.toString(), v));
    return j;
  }

  static int notOk(Map<Integer, Integer> byStatus) {
    return byStatus.entrySet().stream().filter(e -> e.getKey() < 200 || e.getKey() >= 300)
      .mapToInt(Map.Entry::getValue).sum();
  }
}
