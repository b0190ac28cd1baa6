package edu.mentoring.portal.metrics;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Dashboard snapshots, and their coalesced metrics:updated pushes. */
public class DashboardMetrics extends VerticleBase {
  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
