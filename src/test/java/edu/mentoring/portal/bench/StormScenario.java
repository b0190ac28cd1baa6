package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * (f) A reconnect storm: every socket (students and their mentors on the UI's rooms) dropped at once — the client
 * resets them all, as a network failure would — then each comes back on its own as the UI does ({@link Recovery}).
 * Some group sessions are created while they are away; each of their recipients must have it afterwards, live or
 * from {@code /api/events}. Reported: time from the drop until each client is whole (p50/p99/max) and until all are,
 * errors by kind, and missed events.
 */
final class StormScenario extends Scenario {
  static final Opt SOCKETS = Opt.of("sockets", 10_000,
    "connected users (cohorts of --cohort-size students + a mentor)");
  static final Opt SIZE = Opt.of("cohort-size", 30, "students per cohort");
  static final Opt OUTAGE = Opt.of("outage-writes", 10, "group sessions created right after the drop (one per cohort)");
  static final Opt DEADLINE = Opt.of("deadline-seconds", 120, "how long the clients have to become whole");

  StormScenario() {
    super("storm", "N connected sockets dropped at once reconnect with the official client's back-off and recover "
      + "(register, /api/events, /api/notifications, a mentor's dashboard): time until all are whole",
      SOCKETS, SIZE, OUTAGE, DEADLINE, FanoutTargets.SIGN_UP_CONCURRENCY);
  }

  @Override
  void run(BenchRun run) throws Exception {
    Settings s = run.settings();
    int size = s.integer(SIZE);
    int cohorts = Math.max(1, Math.round(s.integer(SOCKETS) / (float) (size + 1)));
    SchoolNodes world = SchoolNodes.start(run, cohorts, size, true, 1).connect(false);
    List<ClientSocket> sockets = world.sockets;
    // each client has seen an event, so it has a highest id to recover from
    if (!world.probe()) throw new IllegalStateException("a session did not reach every socket before the drop");
    Recovery recovery = new Recovery(run.vertx(), world.load, world.http.get(0), world.ledger, world.confirmsRooms);
    world.ledger.onClose(recovery::onClosed);
    world.ledger.clear();
    recovery.activate();

    System.out.printf("storm: dropping %d sockets at once ...%n", sockets.size());
    long t0 = System.nanoTime();
    world.load.dropAll();
    int outage = Math.min(s.integer(OUTAGE), cohorts);
    List<Long> ids = Bounded.all(outage, 8, i -> world.groupSession(world.school.cohorts.get(i))).await();
    long deadline = t0 + s.integer(DEADLINE) * 1_000_000_000L;
    while (System.nanoTime() < deadline && recovery.whole(sockets) < sockets.size()) Thread.sleep(50);
    // the events of the outage, at every socket of their cohort (live after the reconnect, or recovered)
    Missing missed = new Missing();
    for (int i = 0; i < outage; i++) {
      String key = Ledger.key("schedule:created", ids.get(i));
      for (int idx : world.rooms.socketsOn(List.of("cohort:" + world.school.cohorts.get(i)))) {
        if (!recovery.has(sockets.get(idx), key)) missed.add("event", key + " missing at socket " + idx);
      }
    }
    recovery.deactivate();

    Samples whole = new Samples();
    Samples reopened = new Samples();
    Samples recovering = new Samples();
    long last = t0;
    for (ClientSocket c : sockets) {
      Long at = recovery.wholeAt(c.index);
      Long open = recovery.openedAt(c.index);
      if (open != null) reopened.addNanos(t0, open);
      if (at != null) {
        whole.addNanos(t0, at);
        last = Math.max(last, at);
        if (open != null) recovering.addNanos(open, at);
      }
    }
    int notWhole = sockets.size() - whole.count();
    JsonObject errors = new JsonObject();
    recovery.errors().forEach(errors::put);
    run.report().result("setup", world.setup).result("sockets", sockets.size())
      .result("wholeSeconds", notWhole == 0 ? Samples.round((last - t0) / 1e9) : null)
      .result("perClientMs", whole.summary()).result("dropToOpenMs", reopened.summary())
      .result("openToWholeMs", recovering.summary()).result("notWhole", notWhole)
      .result("reconnects", recovery.reconnects())
      .result("errors", errors).result("outageEvents", outage).result("missedEvents", missed.toJson())
      .result("backoff", new JsonObject().put("minMs", Backoff.MIN_MS).put("maxMs", Backoff.MAX_MS)
        .put("exponent", Backoff.EXPONENT).put("randomization", Backoff.RANDOMIZATION))
      .result("client", world.load.problems()).result("server", world.servers.get(0).describe());
    Table t = new Table("storm: " + sockets.size() + " sockets dropped at once, each back with the official "
      + "client's back-off and the UI's recovery", "figure", "value");
    t.row("all whole after (s)", notWhole == 0 ? (last - t0) / 1e9 : null);
    t.row("per client p50 (ms)", whole.p(50));
    t.row("per client p99 (ms)", whole.p(99));
    t.row("per client max (ms)", whole.p(100));
    t.row("drop → socket open again, p50 / p99 (ms)", Table.cell(reopened.p(50)) + " / " + Table.cell(reopened.p(99)));
    t.row("open → whole (rooms, events, notifications, dashboard), p50 / p99 (ms)",
      Table.cell(recovering.p(50)) + " / " + Table.cell(recovering.p(99)));
    t.row("not whole after " + s.integer(DEADLINE) + " s", notWhole);
    t.row("reconnect attempts", recovery.reconnects());
    for (Map.Entry<String, Integer> e : recovery.errors().entrySet()) t.row("errors: " + e.getKey(), e.getValue());
    t.row("events of the outage missed (of " + outage + " sessions)", missed.total());
    run.report().print(t);
    if (missed.total() > 0) System.out.println("missed: " + missed.toJson().encodePrettily());
  }
}
