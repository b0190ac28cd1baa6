package edu.mentoring.portal.bench;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The world of the school scenarios: one portal node (or several clustered on one database), a school built
 * through the API, and then every member's socket on the rooms the UI joins (socket i on node i % nodes), all
 * recorded in one {@link Ledger}.
 */
final class SchoolNodes {
  final List<PortalServer> servers = new ArrayList<>();
  final List<Http> http = new ArrayList<>();
  final School school;
  final Ledger ledger = new Ledger();
  final Slots slots = new Slots();
  final JsonObject setup = new JsonObject();
  ContractRooms rooms;
  BridgeLoad load;
  List<ClientSocket> sockets;
  /** Whether the server confirmed each register ({@code room:joined}). */
  boolean confirmsRooms;
  private final BenchRun run;

  private SchoolNodes(BenchRun run, int nodes, int cohorts, int size, boolean assignMentor) throws Exception {
    this.run = run;
    TestDatabase db = run.freshDatabase();
    Map<String, String> cluster = new HashMap<>();
    if (nodes > 1) {
      // a cluster of its own: a unique name, and a port range other runs on this machine are unlikely to use
      cluster.put(PortalConfig.CLUSTER, "true");
      cluster.put(PortalConfig.CLUSTER_NAME, "bench-" + UUID.randomUUID());
      cluster.put(PortalConfig.CLUSTER_MEMBERS, "127.0.0.1");
      cluster.put(PortalConfig.CLUSTER_PORT, Integer.toString(20_000 + 20 * ThreadLocalRandom.current().nextInt(500)));
    }
    for (int i = 0; i < nodes; i++) {
      // each node waits until it sees all the nodes started so far
      servers.add(PortalServer.start(run, "portal-" + (char) ('a' + i), db, cluster, nodes > 1 ? i + 1 : 1));
    }
    for (PortalServer s : servers) http.add(run.closeAtEnd(new Http(run.vertx(), "127.0.0.1", s.port(), 256)));
    Accounts accounts = Accounts.signIn(http.get(0), PortalServer.ADMIN_EMAIL, PortalServer.ADMIN_PASSWORD);
    System.out.printf("creating %d cohorts of %d students and their mentors through the API ...%n", cohorts, size);
    school = School.build(accounts, cohorts, size, assignMentor,
      run.settings().integer(FanoutTargets.SIGN_UP_CONCURRENCY));
    System.out.printf("%d accounts in %.1f s (sign-up of the students %.1f s)%n", school.size(), school.totalSeconds,
      school.signUpSeconds);
    setup.put("nodes", nodes).put("accounts", school.size()).put("accountsSeconds", Samples.round(school.totalSeconds))
      .put("signUpSeconds", Samples.round(school.signUpSeconds));
  }

  static SchoolNodes start(BenchRun run, int cohorts, int size, boolean assignMentor, int nodes) throws Exception {
    return new SchoolNodes(run, nodes, cohorts, size, assignMentor);
  }

  /** Opens every socket (students, then mentors unless {@code studentsOnly}) and waits until all registered. */
  SchoolNodes connect(boolean studentsOnly) throws InterruptedException {
    List<ClientSocket> all = ContractRooms.socketsOf(school, servers.size());
    return connect(studentsOnly ? all.subList(0, school.students.size()) : all);
  }

  /** Opens these sockets (each on its node) and waits until all registered. */
  SchoolNodes connect(List<ClientSocket> these) throws InterruptedException {
    sockets = these;
    rooms = new ContractRooms(school, sockets);
    int[] ports = servers.stream().mapToInt(PortalServer::port).toArray();
    load = run.closeAtEnd(new BridgeLoad(run.vertx(), sockets.size(), ports, ledger));
    long t0 = System.nanoTime();
    double open = load.openAll(sockets, 128);
    confirmsRooms = Registration.awaitConfirmed(sockets);
    String barrier = confirmsRooms ? Registration.CONFIRMED
      : Registration.awaitByEvents("a group session of each cohort reached its sockets", 5, this::probe);
    double registered = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%d sockets open in %.1f s, registered after %.1f s (%s)%n", sockets.size(), open, registered,
      barrier);
    setup.put("sockets", sockets.size()).put("openSeconds", Samples.round(open))
      .put("openPerSecond", Samples.round(sockets.size() / open)).put("registeredSeconds", Samples.round(registered))
      .put("registeredPerSecond", Samples.round(sockets.size() / registered)).put("registrationBarrier", barrier);
    ledger.clear();
    return this;
  }

  /** A group session in every cohort, by its mentor; true when each reached every socket of its cohort. */
  boolean probe() {
    Map<Long, String> keyOf = new HashMap<>();
    List<Long> cohorts = school.cohorts;
    List<Long> ids = Bounded.all(cohorts.size(), 16, i -> groupSession(cohorts.get(i))).await();
    for (int i = 0; i < cohorts.size(); i++) keyOf.put(cohorts.get(i), Ledger.key("schedule:created", ids.get(i)));
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (sockets.stream().allMatch(s -> ledger.received(keyOf.get(cohortOf(s)), s.index))) return true;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private static long cohortOf(ClientSocket s) {
    return s.member.isStudent() ? s.member.cohortId() : s.member.cohorts().get(0);
  }

  Future<Long> groupSession(long cohort) {
    return http.get(0).create("/api/schedules", school.mentorOf(cohort).token(), slots.next().groupSession(cohort));
  }

  long[] pids() {
    return servers.stream().mapToLong(PortalServer::pid).toArray();
  }
}
