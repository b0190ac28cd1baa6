package edu.mentoring.portal.bench;


/**
 * (e) Many idle sockets on one node: distinct students (four rooms each, as the UI joins them), connected and
 * registered, then left alone but for their pings. The connect+register rate, the server's live heap (class
 * histogram) and RSS per 1,000 sockets, and the server's CPU while idle, as a share of one core.
 */
final class IdleScenario extends Scenario {
  static final Opt STUDENTS = Opt.of("students", 15_000, "student sockets (distinct accounts)");
  static final Opt SIZE = Opt.of("cohort-size", 30, "students per cohort (each cohort has a mentor, without a socket)");
  static final Opt IDLE = Opt.of("idle-seconds", 30, "how long the server's idle CPU is measured");
  static final Opt SETTLE = Opt.of("settle-seconds", 5, "pause after registering and after the heap probe's full GC");

  IdleScenario() {
    super("idle", "N idle student sockets on one node (4 rooms each): connect+register rate, heap and RSS per 1,000 "
      + "sockets, idle CPU",
      STUDENTS, SIZE, IDLE, SETTLE, FanoutTargets.SIGN_UP_CONCURRENCY);
  }

  @Override
  void run(BenchRun run) throws Exception {
    Settings s = run.settings();
    int size = s.integer(SIZE);
    int cohorts = Math.max(1, (s.integer(STUDENTS) + size - 1) / size);
    SchoolNodes world = SchoolNodes.start(run, cohorts, size, false, 1);
    PortalServer server = world.servers.get(0);
    long heap0 = server.liveHeap(null);
    long rss0 = ProcessProbe.rssBytes(server.pid());
    world.connect(true);
    int n = world.sockets.size();
    long settle = s.integer(SETTLE) * 1000L;
    Thread.sleep(settle); // let the registrations' garbage and the probe events settle
    long heap1 = server.liveHeap(run.logDir().resolve("idle-histogram-" + ProcessHandle.current().pid() + ".txt"));
    long rss1 = ProcessProbe.rssBytes(server.pid());
    Thread.sleep(settle); // the histogram's full GC is not idle work
    int closedBefore = world.ledger.closed.get();
    System.out.printf("idle: %d sockets, measuring the server's CPU for %d s ...%n", n, s.integer(IDLE));
    CpuMeter cpu = CpuMeter.start(server.pid(), server.database());
    long clientTicks0 = ProcessProbe.totalTicks(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    Thread.sleep(s.integer(IDLE) * 1000L);
    double idleCpu = cpu.serverPercentOfCore();
    double idleDb = cpu.databasePercentOfCore();
    double clientCpu = (ProcessProbe.totalTicks(ProcessHandle.current().pid()) - clientTicks0)
      * ProcessProbe.MS_PER_TICK / ((System.nanoTime() - t0) / 1e6) * 100;
    double heapPer1000 = (heap1 - heap0) / 1e6 / n * 1000;
    double rssPer1000 = (rss1 - rss0) / 1e6 / n * 1000;
    int closed = world.ledger.closed.get() - closedBefore;
    run.report().result("setup", world.setup).result("sockets", n)
      .result("heapBeforeBytes", heap0).result("heapAfterBytes", heap1)
      .result("heapPer1000MB", Samples.round(heapPer1000)).result("rssPer1000MB", Samples.round(rssPer1000))
      .result("idleSeconds", s.integer(IDLE)).result("idleCpuPercentOfCore", Samples.round(idleCpu))
      .result("idleDatabaseCpuPercentOfCore", Samples.round(idleDb))
      .result("clientCpuPercentOfCore", Samples.round(clientCpu)).result("socketsClosedWhileIdle", closed)
      .result("client", world.load.problems()).result("server", server.describe());
    Table t = new Table("idle: " + n + " student sockets on one node, 4 rooms each", "figure", "value");
    t.row("accounts created (s)", world.setup.getDouble("accountsSeconds"));
    t.row("connect, sockets/s", world.setup.getDouble("openPerSecond"));
    t.row("connect+register, sockets/s (" + world.setup.getString("registrationBarrier") + ")",
      world.setup.getDouble("registeredPerSecond"));
    t.row("heap per 1,000 sockets (MB, live)", heapPer1000);
    t.row("RSS per 1,000 sockets (MB)", rssPer1000);
    t.row("server idle CPU over " + s.integer(IDLE) + " s (% of one core)", idleCpu);
    t.row("its database's backends meanwhile (% of one core)", idleDb);
    t.row("load client CPU meanwhile (% of one core)", clientCpu);
    t.row("sockets closed by the server while idle", closed);
    run.report().print(t);
  }
}
