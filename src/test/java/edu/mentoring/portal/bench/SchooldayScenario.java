package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;

/**
 * (d) A school day: cohorts of students with their mentor (each also every student's assigned mentor), every user
 * on the rooms the UI joins, mixed writes at a fixed total rate by many distinct actors. Every event is checked at
 * every socket that must get it by the contract's room rules, every notification at its recipient: expected vs
 * delivered, missing (with examples), duplicates; delivery and HTTP latency from each write's due time.
 */
final class SchooldayScenario extends Scenario {
  static final Opt COHORTS = Opt.of("cohorts", 100, "cohorts, each with its own mentor");
  static final Opt SIZE = Opt.of("cohort-size", 30, "students per cohort");
  static final Opt RATE = Opt.of("rate", 100, "writes per second, over all actors");
  static final Opt SECONDS = Opt.of("seconds", 30, "duration of the measured day");
  static final Opt DEADLINE = Opt.of("deadline-seconds", 10,
    "after the last write, how long deliveries may still come");

  SchooldayScenario() {
    super("schoolday", "cohorts × students + mentors on the UI's rooms, mixed writes (entries, submissions, comments, "
      + "tasks, sessions) at a fixed rate; every expected recipient checked",
      COHORTS, SIZE, RATE, SECONDS, DEADLINE, SchoolWrites.MIX, Warmup.OPTION,
      FanoutTargets.SIGN_UP_CONCURRENCY);
  }

  @Override
  void run(BenchRun run) throws Exception {
    Settings s = run.settings();
    double rate = s.number(RATE);
    SchoolNodes world = SchoolNodes.start(run, s.integer(COHORTS), s.integer(SIZE), true, 1).connect(false);
    SchoolWrites writes = new SchoolWrites(world.school, world.rooms, world.http, world.slots,
      s.pairs(SchoolWrites.MIX));
    Report report = run.report();
    report.result("setup", world.setup);
    report.result("warmup", Warmup.run(s.text(Warmup.OPTION), (int) Math.max(100, rate * 5),
      n -> day(world, writes, rate, n / rate, 10), world.pids()));
    world.ledger.clear();
    writes.resetCounts();

    System.out.printf("school day: %.0f writes/s for %d s ...%n", rate, s.integer(SECONDS));
    CpuMeter cpu = CpuMeter.start(world.servers.get(0).pid(), world.servers.get(0).database());
    Day day = day(world, writes, rate, s.integer(SECONDS), s.integer(DEADLINE));
    Ledger.Check check = day.check;
    report.result("writes", day.writes).result("writesFailed", writes.failed())
      .result("deliveries", check.toJson()).result("http", writes.httpJson())
      .result("cpuPerWriteMs", cpu.perOperation(day.writes))
      .result("socketsClosedByServer", world.ledger.closed.get()).result("errorFrames", world.ledger.errors.get())
      .result("errorFrameExamples", new JsonArray(new ArrayList<>(world.ledger.errorExamples())))
      .result("client", world.load.problems()).result("frames", world.ledger.framesByType()).result("server", world.servers.get(0).describe());

    Table t = new Table(String.format("schoolday: %d users on their rooms (%d cohorts × %d students + mentors), "
        + "%.0f writes/s for %d s", world.school.size(), s.integer(COHORTS), s.integer(SIZE), rate, s.integer(SECONDS)),
      "what", "expected", "delivered", "missing", "duplicates", "unexpected", "p50 ms", "p99 ms", "max ms");
    t.row("event deliveries", check.expected, check.delivered, check.missingEvents(), check.duplicates,
      check.unexpected, check.latency.p(50), check.latency.p(99), check.latency.p(100));
    t.row("notifications (bell)", check.notificationsExpected, check.notificationsDelivered,
      check.missingNotifications(), null, null, check.bellLatency.p(50), check.bellLatency.p(99),
      check.bellLatency.p(100));
    report.print(t);
    Table byKind = new Table("schoolday by write (ms from the due time)", "write", "count", "http p50", "http p99",
      "delivery p50", "delivery p99");
    Samples all = new Samples();
    for (String kind : List.of("entry", "submit", "comment", "task", "cohort-task", "session", "group-session")) {
      Samples h = writes.httpOf(kind);
      all.addAll(h);
      Samples d = check.byAction(kind);
      if (h.count() > 0) byKind.row(kind, h.count(), h.p(50), h.p(99), d.p(50), d.p(99));
    }
    byKind.row("all", all.count(), all.p(50), all.p(99), check.latency.p(50), check.latency.p(99));
    report.print(byKind);
    if (check.missing.total() > 0) System.out.println("problems: " + check.missing.toJson().encodePrettily());
  }

  /** The outcome of a day: writes made and what arrived. */
  record Day(int writes, Ledger.Check check) {
  }

  /** Writes at {@code rate} for {@code seconds}, then waits for their deliveries (at most {@code deadline} s). */
  static Day day(SchoolNodes world, SchoolWrites writes, double rate, double seconds, double deadline)
    throws InterruptedException {
    List<OpenLoop.Started<Ledger.Expected>> started = OpenLoop.run(rate, seconds, writes::start);
    long until = System.nanoTime() + (long) (deadline * 1e9);
    OpenLoop.awaitAll(started, until);
    List<Ledger.Expected> expected = new ArrayList<>();
    for (OpenLoop.Started<Ledger.Expected> st : started) if (st.succeeded()) expected.add(st.value());
    while (System.nanoTime() < until && !expected.stream().allMatch(world.ledger::complete)) Thread.sleep(20);
    return new Day(started.size(), world.ledger.check(expected, until));
  }
}
