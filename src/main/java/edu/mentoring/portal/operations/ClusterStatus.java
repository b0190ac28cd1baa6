package edu.mentoring.portal.operations;

import edu.mentoring.portal.common.ConfigKeys;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import edu.mentoring.portal.realtime.RoomHub;
import edu.mentoring.portal.realtime.Rooms;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.time.Instant;

/**
 * Every {@link #EVERY_MS}, this node tells the admins' cluster panel how it is: a {@code cluster:node} message to the
 * {@code ops:cluster} room (admins only), delivered by every node's bridge to its sockets there. The panel keeps the
 * latest message of each node; a node that stops sending has gone (docs/operations.md, admin panel).
 */
public class ClusterStatus extends VerticleBase {
  public static final long EVERY_MS = 2_000;
  /** Verticle config key overriding {@link #EVERY_MS} (tests). */
  public static final String CONFIG_EVERY_MS = "clusterStatusEveryMs";
  public static final String TYPE = "cluster:node";

  private final RoomHub hub;
  private final NodeState state;
  private final ClusterManager clusterManager;
  private long timer = -1;
  private long lastDeliveries;
  private long lastAt;

  public ClusterStatus(RoomHub hub, NodeState state, ClusterManager clusterManager) {
    this.hub = hub;
    this.state = state;
    this.clusterManager = clusterManager;
  }

  @Override
  public Future<?> start() {
    lastDeliveries = hub.deliveries();
    lastAt = System.nanoTime();
    timer = vertx.setPeriodic(config().getLong(CONFIG_EVERY_MS, EVERY_MS), id -> publish());
    return Future.succeededFuture();
  }

  private void publish() {
    NodeMetrics metrics = NodeMetrics.of(vertx);
    long now = System.nanoTime();
    long deliveries = hub.deliveries();
    double seconds = Math.max(0.001, (now - lastAt) / 1e9);
    long perSecond = Math.round((deliveries - lastDeliveries) / seconds);
    lastDeliveries = deliveries;
    lastAt = now;
    String id = "local";
    int members = 1;
    if (clusterManager != null) {
      try {
        id = clusterManager.getNodeId();
        members = clusterManager.getNodes().size();
      } catch (RuntimeException e) {
        members = 0; // leaving the cluster
      }
    }
    JsonObject data = new JsonObject()
      .put("node", id)
      .put("http", config().getString(ConfigKeys.HTTP_HOST, "0.0.0.0") + ":" + config().getInteger(ConfigKeys.HTTP_PORT))
      .put("members", members)
      .put("sockets", hub.socketCount())
      .put("rooms", hub.roomCount())
      .put("deliveriesPerSecond", perSecond)
      .put("eventLagMs", metrics.lastDeliveryLagMs())
      .put("draining", state.draining())
      .put("recentErrors", RecentErrors.snapshot());
    JsonObject message = new JsonObject().put("type", TYPE).put("occurredAt", Instant.now().toString())
      .put("data", data);
    vertx.eventBus().publish(RealtimeAddresses.DELIVER, new JsonObject()
      .put("rooms", new JsonArray().add(Rooms.CLUSTER)).put("message", message));
  }

  @Override
  public Future<?> stop() {
    if (timer != -1) vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
