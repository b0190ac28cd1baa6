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
 * {@code {status: UP|DOWN, database: UP|DOWN, cluster: {enabled, members}}}.
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
    if (clusterManager != null) cluster.put("members", clusterManager.getNodes().size());
    pool.query("SELECT 1").execute()
      .timeout(2, java.util.concurrent.TimeUnit.SECONDS)
      .onComplete(ar -> msg.reply(new JsonObject()
        .put("status", ar.succeeded() ? "UP" : "DOWN")
        .put("database", ar.succeeded() ? "UP" : "DOWN")
        .put("cluster", cluster)));
  }
}
