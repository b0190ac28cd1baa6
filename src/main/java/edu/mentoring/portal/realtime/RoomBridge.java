package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.Deactivated;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.events.EventTypes;
import edu.mentoring.portal.events.FeedAddresses;
import edu.mentoring.portal.operations.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fans real-time messages out to this node's sockets: ONE cluster consumer per address per node (not a registration
 * per socket per room), the frame encoded once per room, written to each local member. Also revokes rooms when
 * relationships change or tokens expire, and closes sockets that stopped pinging.
 *
 * <p>Numbered events reach the sockets in id order, each once: ids are dense, so an id that skips ahead waits (in
 * {@link #waiting}) for the ones before it, and if they do not come within {@link #GAP_WAIT_MS} (a message lost with
 * a node, a new sequencer elected) they are read from the event log. An id already delivered is dropped. A
 * relationship change in that stream re-checks the sockets it concerns before anything after it is delivered.
 */
public class RoomBridge extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RoomBridge.class);
  static final long GAP_WAIT_MS = 250;
  static final int FILL_LIMIT = 500;

  private final RoomHub hub;
  private long sweeper;
  private long ticks;
  /** The highest id delivered, in order; -1 until the event log's head is known. */
  private long delivered = -1;
  /** Numbered events that came ahead of an id not yet delivered. */
  private final TreeMap<Long, JsonObject> waiting = new TreeMap<>();
  /** The highest id the sequencer says it has published. */
  private long horizon;
  private long gapTimer = -1;
  private boolean filling;

  public RoomBridge(RoomHub hub) {
    this.hub = hub;
  }

  @Override
  public Future<?> start() {
    sweeper = vertx.setPeriodic(1_000, id -> {
      long now = System.currentTimeMillis();
      hub.sessions().forEach(s -> s.sweep(now));
      if (++ticks % 5 == 0) hub.sessions().forEach(s -> s.heartbeat(now));
      if (ticks % (RealtimeAddresses.WATCHERS_EVERY_MS / 1_000) == 0) {
        vertx.eventBus().publish(RealtimeAddresses.WATCHERS, new JsonObject().put("rooms", new JsonArray(
          new ArrayList<>(hub.watchedRooms()))));
      }
    });
    return Future.all(List.of(
        vertx.eventBus().<JsonObject>consumer(FeedAddresses.STAMPED, msg -> stamped(msg.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(FeedAddresses.HORIZON, msg -> horizon(msg.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(RealtimeAddresses.DELIVER, msg -> deliver(msg.body())).completion(),
        vertx.eventBus().<JsonObject>consumer(RealtimeAddresses.NOTIFICATIONS,
          msg -> NotificationFrames.deliver(hub, msg.body())).completion()))
      // events from now on are delivered from the head of the log on: sockets connect once HTTP is up, after this
      .compose(v -> range(Long.MAX_VALUE - 1, null, 0))
      .map(head -> {
        delivered = head.getLong("head");
        drain();
        return null;
      });
  }

  // ------------------------------------------------------------------ numbered events, in id order

  private void stamped(JsonObject body) {
    JsonObject event = body == null ? null : body.getJsonObject("event");
    Long id = event == null ? null : event.getLong("id");
    if (id == null) return;
    if (delivered >= 0 && id <= delivered) return; // delivered already (published again after a failover)
    waiting.put(id, body);
    drain();
  }

  private void horizon(JsonObject body) {
    Long id = body == null ? null : body.getLong("id");
    if (id != null && id > horizon) horizon = id;
    if (delivered >= 0 && horizon > delivered) awaitGap();
  }

  /** Delivers every waiting event that comes next; a gap before the rest is waited for, then read. */
  private void drain() {
    if (delivered < 0) return;
    while (!waiting.isEmpty() && waiting.firstKey() <= delivered + 1) {
      Map.Entry<Long, JsonObject> next = waiting.pollFirstEntry();
      if (next.getKey() <= delivered) continue;
      JsonObject event = next.getValue().getJsonObject("event");
      if (EventTypes.RELATIONSHIPS_CHANGED.equals(event.getString("type"))) relationshipsChanged(event);
      send(next.getValue().getJsonArray("rooms", new JsonArray()), event);
      delivered = next.getKey();
      lag(event);
    }
    if (!waiting.isEmpty()) awaitGap();
  }

  /**
   * Who may see what changed: before any later id goes out, the sockets the change concerns start re-checking their
   * rooms (messages to those rooms wait until the check is answered) and room checks in flight are asked again. The
   * change and everything committed after it are numbered in that order (EventSequencer), so no event committed
   * after a change reaches a room it took away, on any node. The change names the student whose relationships moved
   * ({@code data.studentId}): their sockets and their {@code student:} room's; a new cohort takes nothing away. A
   * deactivated account ({@code data.userId}, {@code active: false}) is refused from now on and its sockets closed
   * (each close runs on its socket's event loop ahead of anything delivered to it after this).
   */
  private void relationshipsChanged(JsonObject event) {
    JsonObject data = event.getJsonObject("data", new JsonObject());
    Long userId = data.getLong("userId");
    if (userId != null && data.getBoolean("active") != null) {
      boolean deactivated = !data.getBoolean("active");
      Deactivated.set(vertx, userId, deactivated); // first: a socket opened from now on is refused
      if (deactivated) {
        hub.sessions().stream().filter(s -> userId.equals(s.userId())).toList().forEach(BridgeSession::accountClosed);
      }
    }
    Long studentId = data.getLong("studentId");
    hub.relationsChanged(studentId == null ? new JsonArray() : new JsonArray().add(studentId))
      .forEach(BridgeSession::revalidate);
  }

  private void awaitGap() {
    if (gapTimer != -1 || filling) return;
    gapTimer = vertx.setTimer(GAP_WAIT_MS, t -> {
      gapTimer = -1;
      fill();
    });
  }

  /** Reads the ids this node missed from the event log and delivers them in order. */
  private void fill() {
    boolean gap = !waiting.isEmpty() || horizon > delivered;
    if (!gap || filling) return;
    filling = true;
    long after = delivered;
    Long before = waiting.isEmpty() ? null : waiting.firstKey();
    range(after, before, FILL_LIMIT).onComplete(ar -> {
      filling = false;
      if (ar.failed()) {
        LOG.warn("could not read events after {} to fill a gap, will retry: {}", after, ar.cause().getMessage());
        awaitGap();
        return;
      }
      JsonArray items = ar.result().getJsonArray("items", new JsonArray());
      if (items.isEmpty() && before != null && delivered == after) {
        // ids are dense, so this should not happen; never stall the node's sockets on it
        LOG.warn("ids {}..{} are not in the event log; delivering on from {}", after + 1, before - 1, before);
        delivered = before - 1;
      } else {
        LOG.info("delivering {} event(s) after id {} read from the event log (missed on the bus)", items.size(), after);
        NodeMetrics.of(vertx).eventsRelayed(items.size());
      }
      for (Object item : items) waiting.putIfAbsent(((JsonObject) item).getJsonObject("event").getLong("id"),
        (JsonObject) item);
      drain();
      if (horizon > delivered && waiting.isEmpty()) awaitGap();
    });
  }

  private Future<JsonObject> range(long after, Long before, int limit) {
    JsonObject body = new JsonObject().put("after", after).put("before", before).put("limit", limit);
    return Bus.requestLocal(vertx, FeedAddresses.RANGE, BusRequest.message(Actor.SYSTEM, null, body));
  }

  /** How long after its write an event reached this node's sockets (metrics, the admins' cluster panel). */
  private void lag(JsonObject event) {
    String at = event == null ? null : event.getString("occurredAt");
    if (at == null) return;
    try {
      NodeMetrics.of(vertx).deliveryLag(java.time.Duration.between(java.time.Instant.parse(at), java.time.Instant.now()));
    } catch (java.time.format.DateTimeParseException ignored) {
      // not ours to judge: the event is delivered all the same
    }
  }

  // ------------------------------------------------------------------ messages to rooms

  /** Messages that are not numbered events (notification counts, metrics): at once. */
  private void deliver(JsonObject body) {
    if (body == null || body.getJsonObject("message") == null) return;
    send(body.getJsonArray("rooms", new JsonArray()), body.getJsonObject("message"));
  }

  private void send(JsonArray rooms, JsonObject message) {
    List<String> local = new ArrayList<>(rooms.size());
    for (Object room : rooms) {
      if (room instanceof String address && hub.roomMembers(address) > 0) local.add(address);
    }
    for (String address : local) {
      hub.deliver(address, new Frame(new JsonObject().put("type", "rec").put("address", address).put("body", message)
        .toBuffer()));
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    if (gapTimer != -1) vertx.cancelTimer(gapTimer);
    return Future.succeededFuture();
  }
}
