package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * A baseline in the fan-out scenarios, driven by the same Java client as the portal: the Socket.IO design (its own
 * HS256 tokens {@code {sub, role, cohortId: 1}}, rooms joined server-side) or the raw Vert.x WebSocket ceiling (no
 * auth: every registered socket gets every event). Neither has accounts or notifications.
 */
final class PeerFanout implements FanoutTarget {
  private static final int MENTOR_ID = 1;
  private static final int FIRST_STUDENT = 10_000;

  private final BenchRun run;
  private final Peers peers;
  private final String kind;
  private ChildProcess server;
  private Http http;
  private LoadClient load;
  private String mentorToken;
  private final List<String> studentTokens = new ArrayList<>();
  private final List<ClientSocket> sockets = new ArrayList<>();

  PeerFanout(BenchRun run, Peers peers, String kind) {
    this.run = run;
    this.peers = peers;
    this.kind = kind;
  }

  @Override
  public String name() {
    return kind;
  }

  private boolean socketIo() {
    return kind.equals(Peers.SOCKETIO);
  }

  @Override
  public void prepare(int students) throws Exception {
    int port = BenchRun.freePort();
    server = run.closeAtEnd(socketIo() ? peers.startSocketIo(port) : peers.startRawLimit(port));
    http = run.closeAtEnd(new Http(run.vertx(), "127.0.0.1", port, 64));
    JWTAuth jwt = JWTAuth.create(run.vertx(), new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(Peers.PEER_SECRET)));
    JWTOptions expiry = new JWTOptions().setExpiresInMinutes(480);
    mentorToken = jwt.generateToken(new JsonObject().put("sub", Integer.toString(MENTOR_ID)).put("role", "mentor"),
      expiry);
    for (int i = 0; i < students; i++) {
      studentTokens.add(jwt.generateToken(new JsonObject().put("sub", Integer.toString(FIRST_STUDENT + i))
        .put("role", "student").put("cohortId", 1), expiry));
    }
  }

  @Override
  public double connect(EventSink sink) {
    for (int i = 0; i < studentTokens.size(); i++) {
      int sub = FIRST_STUDENT + i;
      sockets.add(new ClientSocket(i, null, studentTokens.get(i),
        List.of("user:" + sub, "role:student", "student:" + sub, "cohort:1"), 0));
    }
    sockets.add(new ClientSocket(studentTokens.size(), null, mentorToken,
      List.of("user:" + MENTOR_ID, "role:mentor", "mentor:" + MENTOR_ID, "cohort:1"), 0));
    int[] ports = {http.port()};
    load = run.closeAtEnd(socketIo() ? new SocketIoLoad(run.vertx(), sockets.size(), ports, sink)
      : new BridgeLoad(run.vertx(), sockets.size(), ports, sink));
    return load.openAll(sockets, 128);
  }

  @Override
  public List<ClientSocket> sockets() {
    return sockets;
  }

  @Override
  public Future<Long> createGroupSession(Slots.Slot slot) {
    return http.post("/api/schedules", mentorToken, new JsonObject().put("title", "Group " + slot.n())
        .put("isGroupSession", true).put("cohortId", 1)
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
    if (!socketIo()) return ProcessProbe.liveHeap(server.pid(), null);
    // the peer's /stats runs a full GC first (node --expose-gc)
    return http.get("/stats", null).await().json().getLong("heapUsed");
  }

  @Override
  public boolean isJvm() {
    return !socketIo();
  }

  @Override
  public boolean notifies() {
    return false;
  }

  @Override
  public JsonObject describe() {
    ChildProcess.Problems problems = server.problems(5);
    return new JsonObject().put("command", String.join(" ", server.command())).put("log", server.log().toString())
      .put("logProblems", problems.count());
  }

  @Override
  public String roomConfirmation() {
    return socketIo() ? "Socket.IO connect ack (rooms joined server-side)" : "room:joined";
  }

  @Override
  public void close() {
    if (load != null) run.closeNow(load);
    if (server != null) run.closeNow(server);
  }
}
