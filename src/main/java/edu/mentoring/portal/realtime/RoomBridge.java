package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.AccountAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fans real-time messages out to this node's sockets: ONE cluster consumer per node (not a registration per
 * socket per room), the frame encoded once per room, written to each local member. Also revokes rooms when
 * relationships change or tokens expire, and closes sockets that stopped pinging.
 */
public class RoomBridge extends VerticleBase {
  /** Recently delivered event ids: the relay may publish an event twice; sockets get it once. */
  private static final int REMEMBERED = 20_000;
  private final Map<Long, Boolean> delivered = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };
  private final RoomHub hub;
  private long sweeper;
  private long ticks;

  public RoomBridge(RoomHub hub) {
    this.hub = hub;
  }

  @Override
  public Future<?> start() {
    sweeper = vertx.setPeriodic(1_000, id -> {
      long now = System.currentTimeMillis();
      hub.sessions().forEach(s -> s.sweep(now));
      if (++ticks % 5 == 0) hub.sessions().forEach(s -> s.heartbeat(now));
    });
    return Future.all(
      vertx.eventBus().<JsonObject>consumer(RealtimeAddresses.DELIVER, this::deliver).completion(),
      vertx.eventBus().<JsonObject>consumer(AccountAddresses.RELATIONS_CHANGED,
        msg -> hub.affectedBy(msg.body() == null ? null : msg.body().getJsonArray("userIds"))
          .forEach(BridgeSession::revalidate)).completion());
  }

  private void deliver(Message<JsonObject> msg) {
    JsonArray rooms = msg.body().getJsonArray("rooms", new JsonArray());
    JsonObject message = msg.body().getJsonObject("message");
    if (message == null) return;
    Long eventId = message.getLong("id");
    if (eventId != null && delivered.put(eventId, Boolean.TRUE) != null) return;
    for (Object room : rooms) {
      if (!(room instanceof String address) || hub.roomMembers(address) == 0) continue;
      hub.deliver(address, new Frame(new JsonObject().put("type", "rec").put("address", address).put("body", message)
        .toBuffer()));
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    return Future.succeededFuture();
  }
}
