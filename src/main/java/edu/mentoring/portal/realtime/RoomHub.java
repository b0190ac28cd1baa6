package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.Tokens;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's sockets and the rooms they joined: room → sockets, so one bus delivery per node reaches every
 * local socket of a room with one encoded frame. Shared by the HTTP verticle instances (which accept sockets)
 * and the RoomBridge (which delivers); hence concurrent collections.
 */
public final class RoomHub {
  private final Map<String, Set<BridgeSession>> rooms = new ConcurrentHashMap<>();
  private final Set<BridgeSession> sessions = ConcurrentHashMap.newKeySet();

  /** The SockJS endpoint, mounted at {@code /eventbus} by each HTTP verticle instance. */
  public Router sockJsRouter(Vertx vertx, Tokens tokens) {
    SockJSHandlerOptions options = new SockJSHandlerOptions().setRegisterWriteHandler(false);
    return SockJSHandler.create(vertx, options)
      .socketHandler(socket -> sessions.add(new BridgeSession(this, vertx, socket, tokens)));
  }

  void join(String room, BridgeSession session) {
    rooms.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(session);
  }

  void leave(String room, BridgeSession session) {
    rooms.computeIfPresent(room, (r, members) -> {
      members.remove(session);
      return members.isEmpty() ? null : members;
    });
  }

  void closed(BridgeSession session) {
    sessions.remove(session);
    for (String room : session.rooms()) leave(room, session);
  }

  /**
   * Writes one already-encoded frame to every local socket in the room. Sockets live on the event loops of the
   * HTTP verticle instances: one task per event loop writes to all of its sockets, rather than one per socket.
   * Returns how many sockets it is for.
   */
  public int deliver(String room, Buffer frame) {
    Set<BridgeSession> members = rooms.get(room);
    if (members == null || members.isEmpty()) return 0;
    Map<Context, List<BridgeSession>> byLoop = new IdentityHashMap<>(4);
    for (BridgeSession s : members) {
      byLoop.computeIfAbsent(s.context(), c -> new ArrayList<>()).add(s);
    }
    byLoop.forEach((context, sessions) -> context.runOnContext(v -> {
      for (BridgeSession s : sessions) s.send(frame);
    }));
    return members.size();
  }

  public Set<BridgeSession> sessions() {
    return sessions;
  }

  public int socketCount() {
    return sessions.size();
  }

  public int roomMembers(String room) {
    Set<BridgeSession> members = rooms.get(room);
    return members == null ? 0 : members.size();
  }
}
