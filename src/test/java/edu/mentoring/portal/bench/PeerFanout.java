package edu.mentoring.portal.bench;

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
final class PeerFanout extends FanoutTarget {
  private static final int MENTOR_ID = 1;
  private static final int FIRST_STUDENT = 10_000;

  private final Peers peers;
  private final String kind;
  private ChildProcess server;
  private String mentorToken;
  private final List<String> studentTokens = new ArrayList<>();

  PeerFanout(BenchRun run, Peers peers, String kind) {
    super(run);
    this.peers = peers;
    this.kind = kind;
  }

  @Override
  String name() {
    return kind;
  }

  private boolean socketIo() {
    return kind.equals(Peers.SOCKETIO);
  }

  @Override
  void prepare(int students) throws Exception {
    int port = BenchRun.freePort();
    server = serve(socketIo() ? peers.startSocketIo(port) : peers.startRawLimit(port), port);
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
  double connect(EventSink sink) {
    for (int i = 0; i < studentTokens.size(); i++) {
      int sub = FIRST_STUDENT + i;
      sockets.add(new ClientSocket(i, null, studentTokens.get(i),
        List.of("user:" + sub, "role:student", "student:" + sub, "cohort:1"), 0));
    }
    sockets.add(new ClientSocket(studentTokens.size(), null, mentorToken,
      List.of("user:" + MENTOR_ID, "role:mentor", "mentor:" + MENTOR_ID, "cohort:1"), 0));
    int[] ports = {http.port()};
    return open(socketIo() ? new SocketIoLoad(run.vertx(), sockets.size(), ports, sink)
      : new BridgeLoad(run.vertx(), sockets.size(), ports, sink));
  }

  @Override
  String mentorToken() {
    return mentorToken;
  }

  @Override
  long cohortId() {
    return 1;
  }

  @Override
  long pid() {
    return server.pid();
  }

  @Override
  long heapBytes() throws Exception {
    if (!socketIo()) return ProcessProbe.liveHeap(server.pid(), null);
    // the peer's /stats runs a full GC first (node --expose-gc)
    return http.get("/stats", null).await().json().getLong("heapUsed");
  }

  @Override
  boolean isJvm() {
    return !socketIo();
  }

  @Override
  boolean notifies() {
    return false;
  }

  @Override
  JsonObject describe() {
    ChildProcess.Problems problems = server.problems(5);
    return new JsonObject().put("command", String.join(" ", server.command())).put("log", server.log().toString())
      .put("logProblems", problems.count());
  }

  @Override
  String roomConfirmation() {
    return socketIo() ? "Socket.IO connect ack (rooms joined server-side)" : Registration.CONFIRMED;
  }
}
