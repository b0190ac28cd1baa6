package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * (g) Two clustered nodes (their own JVMs, one database, one JWT secret, a cluster name of their own): writers
 * create entries alternately through both nodes, sockets on both (each writer's own, and their mentor's on each
 * node). Per node: delivery latency; per socket: order — how many ids arrived lower than an id it had already
 * received (the contract: none; a client that keeps only the highest id would miss each of those) — and missing.
 */
final class ClusterScenario extends Scenario {
  static final Opt WRITERS = Opt.of("writers", 24, "students writing entries at once (closed loop), alternating nodes");
  static final Opt ENTRIES = Opt.of("entries", 400, "entries written in all");
  static final Opt DEADLINE = Opt.of("deadline-seconds", 10,
    "after the last write, how long deliveries may still come");

  ClusterScenario() {
    super("cluster", "two clustered nodes, writers creating entries through both, sockets on both: "
      + "delivery latency per node, ids arriving out of order per socket, missing",
      WRITERS, ENTRIES, DEADLINE, FanoutTargets.SIGN_UP_CONCURRENCY);
  }

  @Override
  void run(BenchRun run) throws Exception {
    Settings s = run.settings();
    int writers = s.integer(WRITERS);
    SchoolNodes world = SchoolNodes.start(run, 1, writers, true, 2);
    List<ClientSocket> sockets = new ArrayList<>(ContractRooms.socketsOf(world.school, 2));
    // the mentor on both nodes: every entry reaches a socket on each
    Member mentor = world.school.mentors.get(0);
    ClientSocket first = sockets.get(sockets.size() - 1);
    sockets.add(new ClientSocket(sockets.size(), mentor, mentor.token(), mentor.rooms(), 1 - first.node));
    world.connect(sockets);
    sockets.forEach(ClientSocket::resetOrder);

    List<Ledger.Expected> expected = Collections.synchronizedList(new ArrayList<>());
    int[] written = new int[writers];
    List<Samples> httpByNode = List.of(new Samples(), new Samples());
    System.out.printf("cluster: %d writers, %d entries through both nodes ...%n", writers, s.integer(ENTRIES));
    ClosedLoop loop = ClosedLoop.run(writers, 600, s.integer(ENTRIES), (user, n) -> {
      Member student = world.school.students.get(user);
      int node = (user + written[user]++) % 2; // each writer alternates between the nodes
      Future<Http.Reply> reply = world.http.get(node).post("/api/entries", student.token(),
        new JsonObject().put("title", "Entry " + n).put("content", "Written through node " + node));
      return reply.onSuccess(r -> {
        httpByNode.get(node).add(r.ms());
        if (r.ok()) expected.add(new Ledger.Expected(Ledger.key("entry:created", r.json().getLong("id")),
          "entry via node " + node, r.sentNanos(), world.rooms.ofStudentAndMentors(student), Set.of()));
      });
    });
    long until = System.nanoTime() + s.integer(DEADLINE) * 1_000_000_000L;
    while (System.nanoTime() < until && !expected.stream().allMatch(world.ledger::complete)) Thread.sleep(20);
    Ledger.Check check = world.ledger.check(expected, until, i -> "sockets on node " + sockets.get(i).node);

    int lowerTotal = 0;
    int socketsOutOfOrder = 0;
    JsonObject perMentorSocket = new JsonObject();
    for (ClientSocket c : sockets) {
      int lower = c.lowerThanSeen.get();
      lowerTotal += lower;
      if (lower > 0) socketsOutOfOrder++;
      if (!c.member.isStudent()) perMentorSocket.put("mentor socket on node " + (char) ('a' + c.node), lower);
    }
    Report report = run.report();
    report.result("setup", world.setup).result("writers", writers).result("entries", loop.ok.get())
      .result("writesPerSecond", Samples.round(loop.okPerSecond())).result("writeStatuses", loop.statuses().toString())
      .result("httpByNode", new JsonObject().put("node a", httpByNode.get(0).summary())
        .put("node b", httpByNode.get(1).summary()))
      .result("deliveries", check.toJson())
      .result("order", new JsonObject().put("idsLowerThanOneAlreadyReceived", lowerTotal)
        .put("socketsWithSuch", socketsOutOfOrder).put("mentorSockets", perMentorSocket))
      .result("client", world.load.problems()).result("frames", world.ledger.framesByType()).result("servers", new JsonObject().put("a", world.servers.get(0).describe())
        .put("b", world.servers.get(1).describe()));

    Table t = new Table(String.format("cluster: 2 nodes, %d writers, %d entries alternately through both (%.0f/s)",
      writers, loop.ok.get(), loop.okPerSecond()), "sockets", "count", "expected", "delivered", "p50 ms", "p99 ms",
      "ids lower than one seen");
    for (int node = 0; node < 2; node++) {
      int n = node;
      List<ClientSocket> on = sockets.stream().filter(c -> c.node == n).toList();
      Samples lat = check.byGroup("sockets on node " + node);
      long due = expected.stream().mapToLong(e -> e.sockets().stream().filter(i -> sockets.get(i).node == n).count())
        .sum();
      t.row("on node " + (char) ('a' + node), on.size(), due, lat.count(), lat.p(50), lat.p(99),
        on.stream().mapToInt(c -> c.lowerThanSeen.get()).sum());
    }
    for (ClientSocket c : sockets) {
      if (!c.member.isStudent()) {
        t.row("mentor's socket on node " + (char) ('a' + c.node), 1, null, null, null, null, c.lowerThanSeen.get());
      }
    }
    t.row("all", sockets.size(), check.expected, check.delivered, check.latency.p(50), check.latency.p(99), lowerTotal);
    report.print(t);
    System.out.printf("missing %d, duplicates %d, unexpected %d%n", check.missingEvents(), check.duplicates,
      check.unexpected);
  }
}
