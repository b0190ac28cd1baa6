package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The portal in the fan-out scenarios: real accounts, one cohort, sockets on the rooms the UI joins. */
final class PortalFanout extends FanoutTarget {
  private final int signUpConcurrency;
  private final boolean readAfterWarmup;
  private PortalServer server;
  private School school;

  PortalFanout(BenchRun run, int signUpConcurrency, boolean readAfterWarmup) {
    super(run);
    this.signUpConcurrency = signUpConcurrency;
    this.readAfterWarmup = readAfterWarmup;
  }

  @Override
  String name() {
    return "portal";
  }

  @Override
  void prepare(int students) throws Exception {
    server = PortalServer.start(run, "portal", run.freshDatabase(), Map.of(), 1);
    serve(server, server.port());
    Accounts accounts = Accounts.signIn(http, PortalServer.ADMIN_EMAIL, PortalServer.ADMIN_PASSWORD);
    System.out.printf("portal: creating %d students and their mentor through the API ...%n", students);
    school = School.build(accounts, 1, students, false, signUpConcurrency);
    System.out.printf("portal: %d accounts in %.1f s%n", school.size(), school.totalSeconds);
  }

  @Override
  double connect(EventSink sink) {
    List<Member> members = new ArrayList<>(school.students);
    members.add(school.mentors.get(0));
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      sockets.add(new ClientSocket(i, m, m.token(), m.rooms(), 0));
    }
    return open(new BridgeLoad(run.vertx(), sockets.size(), new int[] {server.port()}, sink));
  }

  @Override
  String mentorToken() {
    return school.mentors.get(0).token();
  }

  @Override
  long cohortId() {
    return school.cohorts.get(0);
  }

  @Override
  long pid() {
    return server.pid();
  }

  @Override
  long heapBytes() throws Exception {
    // the last histogram stays in the log directory: where a socket's memory goes
    return server.liveHeap(run.logDir().resolve("portal-histogram-" + ProcessHandle.current().pid() + ".txt"));
  }

  @Override
  String database() {
    return server.database();
  }

  /**
   * Unread, the warm-up's sessions would leave each student hundreds of notifications, which each new session's
   * unread count scans (it is pushed with the bell), so every batch would be slower than the last: students read
   * their bell after each batch, as users do.
   */
  @Override
  void readBells() {
    if (!readAfterWarmup) return;
    Bounded.all(school.students.size(), signUpConcurrency, i -> http.post("/api/notifications/read-all",
      school.students.get(i).token(), null).compose(r -> r.expectOk("read-all"))).await();
  }

  @Override
  boolean isJvm() {
    return true;
  }

  @Override
  boolean notifies() {
    return true;
  }

  @Override
  JsonObject describe() {
    return server.describe().put("accountsSeconds", Samples.round(school.totalSeconds))
      .put("signUpSeconds", Samples.round(school.signUpSeconds));
  }
}
