package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.Tokens;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.ErrorCode;
import edu.mentoring.portal.common.PortalException;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.operations.NodeMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * One browser socket speaking the Vert.x event-bus bridge protocol (the frames of the official JS client:
 * register, unregister, ping, send, publish). Every register is authorised from the JWT in its headers and the
 * user's current rooms; browsers may send or publish nothing. Runs on the context of the HTTP verticle that
 * accepted the socket.
 */
public final class BridgeSession {
  public static final int MAX_ADDRESS_LENGTH = 200;
  public static final int MAX_ROOMS = 1000;
  public static final long PING_TIMEOUT_MS = 10_000;
  /** Bytes written but not yet taken by the network; past this the client is not reading and is cut off. */
  public static final long MAX_PENDING_BYTES = 1024 * 1024;
  static final int GRANT_RETRIES = 4;
  private static final Logger LOG = LoggerFactory.getLogger(BridgeSession.class);

  private final RoomHub hub;
  private final Vertx vertx;
  private final Context context;
  private final BridgeTransport transport;
  private final Tokens tokens;
  /** Touched only on this session's context; other threads read {@link #roomCount}. */
  private final Set<String> rooms = new HashSet<>(4);
  private volatile int roomCount;
  private volatile long lastSeen = System.currentTimeMillis();
  private volatile long expiresAt = Long.MAX_VALUE;
  private volatile Actor actor;
  private volatile boolean closed;
  /**
   * Room checks running after a relationship change; while any runs, room messages wait in {@link #held} and are
   * delivered only for the rooms the checks leave, so nothing sent after the change reaches a room it took away.
   */
  private final java.util.concurrent.atomic.AtomicInteger checking = new java.util.concurrent.atomic.AtomicInteger();
  /** Touched only on this session's context. */
  private final java.util.ArrayDeque<RoomHub.Delivery> held = new java.util.ArrayDeque<>();
  /** Held messages at most; beyond, the socket is closed and its client recovers ({@code GET /api/events}). */
  static final int MAX_HELD = 1000;

  BridgeSession(RoomHub hub, Vertx vertx, BridgeTransport transport, Tokens tokens) {
    this.hub = hub;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.transport = transport;
    this.tokens = tokens;
    transport.start(this::onFrame, v -> close());
  }

  Set<String> rooms() {
    return rooms;
  }

  /** The user of the newest token that joined a room, or null before any. */
  Long userId() {
    Actor who = actor;
    return who == null ? null : who.id();
  }

  Context context() {
    return context;
  }

  private void onFrame(Buffer buffer) {
    lastSeen = System.currentTimeMillis();
    JsonObject frame;
    try {
      frame = buffer.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      err("invalid_json");
      return;
    }
    String type = frame.getString("type", "");
    switch (type) {
      case "ping" -> { }
      case "register" -> register(frame);
      case "unregister" -> {
        String address = frame.getString("address");
        if (address != null && rooms.remove(address)) {
          roomCount = rooms.size();
          hub.leave(address, this);
        }
      }
      case "send", "publish" -> err("access_denied"); // commands go over HTTP
      default -> err("invalid_type");
    }
  }

  private void register(JsonObject frame) {
    Object rawAddress = frame.getValue("address");
    if (!(rawAddress instanceof String address) || address.length() > MAX_ADDRESS_LENGTH) {
      NodeMetrics.of(vertx).registerRefused("rejected");
      err("rejected");
      return;
    }
    if (rooms.size() >= MAX_ROOMS) {
      NodeMetrics.of(vertx).registerRefused("max_handlers_reached");
      err("max_handlers_reached");
      return;
    }
    JsonObject headers = frame.getValue("headers") instanceof JsonObject h ? h : new JsonObject();
    Object auth = headers.getValue("Authorization");
    String token = Tokens.bearer(auth instanceof String s ? s : null);
    tokens.verify(token)
      .compose(verified -> authorise(verified.actor(), address, 0).map(ok -> {
        if (ok) {
          actor = verified.actor();
          expiresAt = verified.expiresAtMillis(); // the newest token a client sent renews the socket
        }
        return ok;
      }))
      .onComplete(ar -> {
        if (closed) return;
        if (ar.succeeded() && ar.result()) {
          if (rooms.add(address)) {
            roomCount = rooms.size();
            hub.join(address, this);
            // the first watcher of a room of pushed state: say so now, not at the next round
            if (hub.roomMembers(address) == 1 && hub.isWatchedRoom(address)) {
              vertx.eventBus().publish(RealtimeAddresses.WATCHERS, new JsonObject().put("rooms",
                new JsonArray().add(address)));
            }
          }
          joined(address);
        } else if (ar.failed() && unavailable(ar.cause())) {
          NodeMetrics.of(vertx).registerRefused("unavailable");
          // the node is too busy to check now: not a refusal, the client may register again later
          send(new Frame(new JsonObject().put("type", "err").put("body", "unavailable").put("address", address)
            .put("failureType", "unavailable").toBuffer()));
        } else {
          NodeMetrics.of(vertx).registerRefused("rejected");
          err("rejected", address);
        }
      });
  }

  /**
   * {@link #mayJoin}, asked again when a relationship changed while it was being answered: a grant read before the
   * change must not join a room the change took away (nothing would re-check it until the token expires). A change
   * heard after the join re-checks the joined room itself ({@link #revalidate}).
   */
  private Future<Boolean> authorise(Actor who, String address, int attempt) {
    long version = hub.relationsVersion();
    return mayJoin(who, address).compose(ok -> {
      if (!ok || hub.relationsVersion() == version) return Future.succeededFuture(ok);
      if (attempt >= GRANT_RETRIES) {
        return Future.failedFuture(PortalException.unavailable("relationships keep changing, register again"));
      }
      return authorise(who, address, attempt + 1);
    });
  }

  /** The contract's room rules, answered by the account store from the current relationships. */
  private Future<Boolean> mayJoin(Actor who, String address) {
    String[] room = Rooms.parse(address);
    if (room == null) return Future.succeededFuture(false);
    if (who.role() == Role.ADMIN) return Future.succeededFuture(true);
    return grants(who, 0).map(grants -> grants.getJsonArray("rooms", new JsonArray()).contains(address));
  }

  /**
   * The rooms {@code who} may join now; a node too busy to answer (503 unavailable: a full pool, a timeout) is asked
   * again a few times, 0.2 s then doubling, before the failure stands: overload must not read as a refusal.
   */
  private Future<JsonObject> grants(Actor who, int attempt) {
    return hub.grantChecks().grants(vertx, context, who).recover(t -> {
      if (attempt >= GRANT_RETRIES || !unavailable(t) || closed) return Future.failedFuture(t);
      Promise<JsonObject> later = Promise.promise();
      vertx.setTimer(200L << attempt, id -> grants(who, attempt + 1).onComplete(later));
      return later.future();
    });
  }

  private static boolean unavailable(Throwable t) {
    return t instanceof PortalException pe && pe.code() == ErrorCode.UNAVAILABLE;
  }

  /**
   * Re-checks every joined room against the current relationships; drops the ones no longer granted. Called when the
   * node hears of a change: from then until the check is answered, messages to this socket's rooms are held.
   */
  void revalidate() {
    Actor who = actor;
    if (who == null || who.role() == Role.ADMIN || roomCount == 0) return;
    checking.incrementAndGet(); // on the RoomBridge's context, at once: the messages after it are held
    // a check that cannot be made (the node stays too busy through the retries) drops the rooms: never keep a room
    // that may have been lost
    grants(who, 0).onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        JsonArray allowed = ar.result().getJsonArray("rooms", new JsonArray());
        for (String room : Set.copyOf(rooms)) {
          if (!allowed.contains(room)) revoke(room);
        }
      } else {
        Set.copyOf(rooms).forEach(this::revoke);
      }
      checked();
    }));
  }

  /** A check is answered: once none runs, the held messages go out to the rooms still joined, in order. */
  private void checked() {
    if (checking.decrementAndGet() > 0) return;
    while (!held.isEmpty()) {
      RoomHub.Delivery d = held.poll();
      if (rooms.contains(d.room())) send(d.frame());
    }
  }

  /**
   * A message to one of this socket's rooms, on this session's context. A user's own and role rooms never change
   * with relationships (and carry no numbered events), so they are never held: "re-read your rooms" arrives at once.
   */
  void deliver(String room, Frame frame) {
    if (checking.get() == 0 && held.isEmpty() || room.startsWith("user:") || room.startsWith("role:")) {
      send(frame);
      return;
    }
    if (held.size() >= MAX_HELD) {
      LOG.info("closing a socket whose room check is taking too long ({} messages held)", held.size());
      held.clear();
      close();
      transport.close();
      return;
    }
    held.add(new RoomHub.Delivery(room, frame));
  }

  private void revoke(String room) {
    if (rooms.remove(room)) {
      roomCount = rooms.size();
      hub.leave(room, this);
      err("revoked", room);
    }
  }

  /** The account was deactivated: every room is taken back and the socket closed (its token is refused from now). */
  void accountClosed() {
    context.runOnContext(v -> {
      Set.copyOf(rooms).forEach(this::revoke);
      close();
      transport.close();
    });
  }

  /** Called periodically: enforces the ping timeout and token expiry. */
  void sweep(long now) {
    if (now - lastSeen > PING_TIMEOUT_MS) {
      context.runOnContext(v -> {
        if (!closed) LOG.info("closing a socket silent for {} ms (ping timeout)", now - lastSeen);
        close();
        transport.close();
      });
    } else if (now >= expiresAt && roomCount > 0) {
      context.runOnContext(v -> Set.copyOf(rooms).forEach(this::revoke));
    }
  }

  /**
   * Writes an already-encoded frame, on this session's context. The bridge itself never checks back-pressure; here
   * every socket has a bounded queue, and a client that stops reading is disconnected instead of growing the heap.
   */
  boolean send(Frame frame) {
    if (closed) return false;
    long queued = transport.queuedBytes();
    if (queued > MAX_PENDING_BYTES) {
      LOG.info("closing a socket that stopped reading ({} bytes queued)", queued);
      NodeMetrics.of(vertx).slowConsumerClosed();
      close();
      transport.close();
      return false;
    }
    transport.write(frame);
    return true;
  }

  /**
   * Tells the client the room is joined: every event from now on reaches it, so a client recovering with
   * {@code GET /api/events?after=} once its rooms are joined misses nothing (contract extension, docs/realtime.md).
   */
  private void joined(String room) {
    send(new Frame(new JsonObject().put("type", "rec").put("address", room).put("body", new JsonObject()
      .put("type", EventTypes.ROOM_JOINED).put("occurredAt", Instant.now().toString())
      .put("data", new JsonObject().put("room", room))).toBuffer()));
  }

  private void err(String body) {
    send(new Frame(new JsonObject().put("type", "err").put("body", body).toBuffer()));
  }

  private void err(String body, String address) {
    send(new Frame(new JsonObject().put("type", "err").put("body", body).put("address", address).toBuffer()));
  }

  /** SockJS heartbeats, on this session's context. */
  void heartbeat(long now) {
    if (!transport.needsHeartbeat()) return; // no task per socket where nothing is to be sent
    context.runOnContext(v -> {
      if (!closed) transport.heartbeat(now);
    });
  }

  /** The node is draining: this socket is closed, on its own context, so its client reconnects elsewhere. */
  Future<Void> closeForDrain() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      close();
      transport.close();
      done.complete();
    });
    return done.future();
  }

  private void close() {
    if (closed) return;
    closed = true;
    hub.closed(this);
  }
}
