package edu.mentoring.portal.operations;

import edu.mentoring.portal.common.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * {@code GET /metrics} on a port of its own ({@code PORTAL_METRICS_PORT}), for a scraper on a network the public
 * never reaches: no token there. Anything else on that port is 404.
 */
public class MetricsEndpoint extends VerticleBase {
  /** Prometheus' text exposition format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private HttpServer server;

  @Override
  public Future<?> start() {
    NodeMetrics metrics = NodeMetrics.of(vertx);
    int port = config().getInteger(ConfigKeys.METRICS_PORT);
    server = vertx.createHttpServer(new HttpServerOptions()
      .setHost(config().getString(ConfigKeys.HTTP_HOST, "0.0.0.0")).setPort(port));
    server.requestHandler(req -> {
      if ("/metrics".equals(req.path())) {
        req.response().putHeader("Content-Type", CONTENT_TYPE).end(metrics.scrape());
      } else {
        req.response().setStatusCode(404).end();
      }
    });
    return server.listen().recover(t -> Future.failedFuture(new IllegalStateException(
      "PORTAL_METRICS_PORT: cannot listen on port " + port + " (" + t.getMessage() + "): choose another port", t)));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
