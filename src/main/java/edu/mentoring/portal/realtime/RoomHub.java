package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.Tokens;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * This node's sockets and the rooms they joined: room → sockets, so one bus delivery per node reaches every
 * local socket of a room with one encoded frame. Shared by the HTTP verticle instances (which accept sockets)
 * and the RoomBridge (which delivers); hence concurrent collections.
 */
public final class RoomHub {
  static final String RAW_PATH = "/eventbus/websocket";
  static final Pattern SOCKJS_PATH = Pattern.compile("^/eventbus/[^/.]+/[^/.]+/websocket$");

  /** room → event loop → that loop's sockets in the room: grouped when sockets join, not on every event. */
  private final Map<String, Map<Context, Set<BridgeSession>>> rooms = new ConcurrentHashMap<>();
  private final Set<BridgeSession> sessions = ConcurrentHashMap.newKeySet();
  private final GrantChecks grantChecks = new GrantChecks();
  /** Frames written to sockets and their bytes (the node's metrics read them). */
  private final LongAdder deliveries = new LongAdder();
  private final LongAdder deliveredBytes = new LongAdder();
  private volatile boolean draining;
  /** Bumped by every relationship change this node hears of: a room check answered across one is asked again. */
  private final java.util.concurrent.atomic.AtomicLong relationsVersion = new java.util.concurrent.atomic.AtomicLong();

  /** The SockJS endpoint, mounted at {@code /eventbus} by each HTTP verticle instance. */
  public Router sockJsRouter(Vertx vertx, Tokens tokens) {
    SockJSHandlerOptions options = new SockJSHandlerOptions().setRegisterWriteHandler(false);
    return SockJSHandler.create(vertx, options)
      .socketHandler(socket -> sessions.add(new BridgeSession(this, vertx, new SockJsTransport(socket), tokens)));
  }

  /**
   * Every WebSocket upgrade of the server comes here, before the router: {@code /eventbus/websocket} (raw frames)
   * and SockJS's {@code /eventbus/<server>/<session>/websocket} are accepted (same origin rule as the SockJS routes),
   * anything else refused.
   */
  public void handshake(ServerWebSocketHandshake handshake, Vertx vertx, Tokens tokens, OriginCheck origins) {
    String path = handshake.path();
    boolean raw = RAW_PATH.equals(path);
    boolean sockJs = !raw && SOCKJS_PATH.matcher(path).matches();
    if (!raw && !sockJs) {
      handshake.reject(404);
      return;
    }
    if (draining) {
      handshake.reject(503); // shutting down: the client reconnects, through the balancer, to another node
      return;
    }
    String origin = handshake.headers().get("Origin");
    if (origin != null && !origins.allowed(origin, handshake.headers().get("Host"))) {
      handshake.reject(403);
      return;
    }
    handshake.accept().onSuccess(ws -> {
      // the socket would keep the handshake's headers for its whole life; nothing reads them after the upgrade
      // (rooms are authorised from each register frame), and browsers send a dozen or more
      ws.headers().clear();
      sessions.add(new BridgeSession(this, vertx, new WebSocketTransport(ws, sockJs), tokens));
    });
  }

  GrantChecks grantChecks() {
    return grantChecks;
  }

  void join(String room, BridgeSession session) {
    rooms.computeIfAbsent(room, r -> new ConcurrentHashMap<>())
      .computeIfAbsent(session.context(), c -> ConcurrentHashMap.newKeySet()).add(session);
  }

  void leave(String room, BridgeSession session) {
    rooms.computeIfPresent(room, (r, loops) -> {
      loops.computeIfPresent(session.context(), (c, members) -> {
        members.remove(session);
        return members.isEmpty() ? null : members;
      });
      return loops.isEmpty() ? null : loops;
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
  public int deliver(String room, Frame frame) {
    Map<Context, Set<BridgeSession>> loops = rooms.get(room);
    if (loops == null) return 0;
    int n = 0;
    for (Map.Entry<Context, Set<BridgeSession>> loop : loops.entrySet()) {
      Set<BridgeSession> members = loop.getValue();
      n += members.size();
      loop.getKey().runOnContext(v -> {
        for (BridgeSession s : members) s.deliver(room, frame);
      });
    }
    deliveries.add(n);
    deliveredBytes.add((long) n * frame.length());
    return n;
  }

  /** One frame for one room. */
  record Delivery(String room, Frame frame) {
  }

  /** Many rooms, each its own frame (a notification per user): still one task per event loop, not one per room. */
  void deliverAll(List<Delivery> deliveries) {
    Map<Context, List<Runnable>> byLoop = new HashMap<>();
    for (Delivery d : deliveries) {
      Map<Context, Set<BridgeSession>> loops = rooms.get(d.room());
      if (loops == null) continue;
      loops.forEach((loop, members) -> {
        this.deliveries.add(members.size());
        deliveredBytes.add((long) members.size() * d.frame().length());
        byLoop.computeIfAbsent(loop, c -> new ArrayList<>()).add(() -> {
          for (BridgeSession s : members) s.deliver(d.room(), d.frame());
        });
      });
    }
    byLoop.forEach((loop, writes) -> loop.runOnContext(v -> writes.forEach(Runnable::run)));
  }

  long relationsVersion() {
    return relationsVersion.get();
  }

  /** Mentoring relationships changed; the sessions it can affect, which must re-check their rooms. */
  Set<BridgeSession> relationsChanged(JsonArray userIds) {
    relationsVersion.incrementAndGet();
    return affectedBy(userIds);
  }

  /**
   * The sockets whose rooms a change of these users' relationships can take away: their own sockets, and sockets in
   * their {@code student:{id}} rooms (a former mentor's). Re-checking only these costs one grants query per affected
   * socket instead of one per socket on the node for every reassignment. Without ids (unknown change): every socket.
   */
  Set<BridgeSession> affectedBy(JsonArray userIds) {
    if (userIds == null) return Set.copyOf(sessions);
    Set<Long> ids = new HashSet<>();
    for (Object id : userIds) if (id instanceof Number n) ids.add(n.longValue());
    Set<BridgeSession> affected = new HashSet<>();
    for (BridgeSession s : sessions) if (ids.contains(s.userId())) affected.add(s);
    for (Long id : ids) {
      Map<Context, Set<BridgeSession>> loops = rooms.get(Rooms.student(id));
      if (loops != null) loops.values().forEach(affected::addAll);
    }
    return affected;
  }

  /** Rooms of pushed state (a mentor's, the admins') with a socket on this node. */
  List<String> watchedRooms() {
    List<String> watched = new ArrayList<>();
    for (String room : rooms.keySet()) if (isWatchedRoom(room)) watched.add(room);
    return watched;
  }

  /** A room whose pushed state (the dashboard's metrics) is computed only while someone is in it. */
  boolean isWatchedRoom(String room) {
    return room.startsWith("mentor:") || room.equals(Rooms.role("admin"));
  }

  /**
   * Draining: no new sockets from now on, and every open one is closed at a random moment within {@code spreadMs}
   * (its client reconnects, through the balancer, to another node; spread out so those nodes are not stormed).
   * Completes when every socket is closed, or {@code spreadMs} plus a second later at most.
   */
  public Future<Void> drain(Vertx vertx, long spreadMs) {
    draining = true;
    List<BridgeSession> open = List.copyOf(sessions);
    Promise<Void> done = Promise.promise();
    if (open.isEmpty()) {
      done.complete();
      return done.future();
    }
    AtomicInteger left = new AtomicInteger(open.size());
    for (BridgeSession s : open) {
      long delay = spreadMs <= 0 ? 1 : 1 + ThreadLocalRandom.current().nextLong(spreadMs);
      vertx.setTimer(delay, t -> s.closeForDrain().onComplete(ar -> {
        if (left.decrementAndGet() == 0) done.tryComplete();
      }));
    }
    vertx.setTimer(spreadMs + 1_000, t -> done.tryComplete());
    return done.future();
  }

  public boolean draining() {
    return draining;
  }

  public long deliveries() {
    return deliveries.sum();
  }

  public long deliveredBytes() {
    return deliveredBytes.sum();
  }

  /** Rooms with at least one socket on this node. */
  public int roomCount() {
    return rooms.size();
  }

  public Set<BridgeSession> sessions() {
    return sessions;
  }

  public int socketCount() {
    return sessions.size();
  }

  public int roomMembers(String room) {
    Map<Context, Set<BridgeSession>> loops = rooms.get(room);
    return loops == null ? 0 : loops.values().stream().mapToInt(Set::size).sum();
  }
}
