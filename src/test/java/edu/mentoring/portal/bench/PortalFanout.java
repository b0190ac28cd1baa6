package edu.mentoring.portal.bench;

import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The portal in the fan-out scenarios: real accounts, one cohort, sockets on the rooms the UI joins. */
final class PortalFanout implements FanoutTarget {
  private final BenchRun run;
  private final int signUpConcurrency;
  private PortalServer server;
  private Http http;
  private School school;
  private BridgeLoad load;
  private final List<ClientSocket> sockets = new ArrayList<>();

  PortalFanout(BenchRun run, int signUpConcurrency) {
    this.run = run;
    this.signUpConcurrency = signUpConcurrency;
  }

  @Override
  public String name() {
    return "portal";
  }

  @Override
  public void prepare(int students) throws Exception {
    TestDatabase db = run.freshDatabase();
    server = PortalServer.start(run, "portal", db, Map.of(), 1);
    http = run.closeAtEnd(new Http(run.vertx(), "127.0.0.1", server.port(), 64));
    Accounts accounts = Accounts.signIn(http, PortalServer.ADMIN_EMAIL, PortalServer.ADMIN_PASSWORD);
    System.out.printf("portal: creating %d students and their mentor through the API ...%n", students);
    school = School.build(accounts, 1, students, false, signUpConcurrency);
    System.out.printf("portal: %d accounts in %.1f s%n", school.size(), school.totalSeconds);
  }

  @Override
  public double connect(EventSink sink) {
    List<Member> members = new ArrayList<>(school.students);
    members.add(school.mentors.get(0));
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      sockets.add(new ClientSocket(i, m, m.token(), m.rooms(), 0));
    }
    load = run.closeAtEnd(new BridgeLoad(run.vertx(), sockets.size(), new int[] {server.port()}, sink));
    return load.openAll(sockets, 128);
  }

  @Override
  public List<ClientSocket> sockets() {
    return sockets;
  }

  @Override
  public Future<Long> createGroupSession(Slots.Slot slot) {
    return http.post("/api/schedules", school.mentors.get(0).token(), new JsonObject().put("title", "Group " + slot.n())
        .put("isGroupSession", true).put("cohortId", school.cohorts.get(0))
        .put("startTime", slot.start().toString()).put("endTime", slot.end().toString()))
      .compose(r -> r.expectOk("create session"))
      .map(r -> r.json().getLong("id"));
  }

  @Override
  public long pid() {
    return server.pid();
  }

  @Override
  public long heapBytes() throws Exception {
    // the last histogram stays in the log directory: where a socket's memory goes
    return server.liveHeap(run.logDir().resolve("portal-histogram-" + ProcessHandle.current().pid() + ".txt"));
  }

  @Override
  public boolean isJvm() {
    return true;
  }

  @Override
  public boolean notifies() {
    return true;
  }

  @Override
  public JsonObject describe() {
    return server.describe().put("accountsSeconds", Samples.round(school.totalSeconds))
      .put("signUpSeconds", Samples.round(school.signUpSeconds));
  }

  @Override
  public void close() {
    if (load != null) run.closeNow(load);
    if (server != null) run.closeNow(server);
  }
}
