package edu.mentoring.portal.http;

import edu.mentoring.portal.common.Db;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.sqlclient.Pool;

/**
 * Answers, for this node only (a local consumer), whether its database and cluster membership work:
 * {@code {status: UP|DOWN, database: UP|DOWN, cluster: {enabled, members, joined}}} (members and joined only
 * when clustered: joined is whether this node's cluster member is running).
 */
public class HealthProbe extends VerticleBase {
  public static final String ADDRESS = "health.node";

  private final ClusterManager clusterManager;
  private Pool pool;

  public HealthProbe(ClusterManager clusterManager) {
    this.clusterManager = clusterManager;
  }

  @Override
  public Future<?> start() {
    pool = Db.pool(vertx, config());
    return vertx.eventBus().<JsonObject>localConsumer(ADDRESS, this::check).completion();
  }

  private void check(Message<JsonObject> msg) {
    JsonObject cluster = new JsonObject().put("enabled", clusterManager != null);
    if (clusterManager != null) {
      boolean joined;
      int members;
      try {
        joined = clusterManager.isActive() && clusterManager.getNodes().contains(clusterManager.getNodeId());
        members = clusterManager.getNodes().size();
      } catch (RuntimeException e) {
        // the member is shutting down or gone (Hazelcast throws then): not in the cluster
        joined = false;
        members = 0;
      }
      cluster.put("members", members).put("joined", joined);
    }
    pool.query("SELECT 1").execute()
      .timeout(2, java.util.concurrent.TimeUnit.SECONDS)
      .onComplete(ar -> msg.reply(new JsonObject()
        .put("status", ar.succeeded() ? "UP" : "DOWN")
        .put("database", ar.succeeded() ? "UP" : "DOWN")
        .put("cluster", cluster)));
  }
}
