package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The load client's HTTP side: asynchronous, one keep-alive pool of at most {@code connections} connections to one
 * server (what the scenario's concurrency means), JSON in and out. Call from any thread; {@code .await()} the
 * futures off the event loops.
 */
final class Http implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String host;
  private final int port;

  Http(Vertx vertx, String host, int port, int connections) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
      new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  int port() {
    return port;
  }

  Future<Reply> get(String path, String token) {
    return send(HttpMethod.GET, path, token, null);
  }

  Future<Reply> post(String path, String token, JsonObject body) {
    return send(HttpMethod.POST, path, token, body);
  }

  Future<Reply> put(String path, String token, JsonObject body) {
    return send(HttpMethod.PUT, path, token, body);
  }

  Future<Reply> patch(String path, String token, JsonObject body) {
    return send(HttpMethod.PATCH, path, token, body);
  }

  /** POST that must succeed: the id of what it created. */
  Future<Long> create(String path, String token, JsonObject body) {
    return post(path, token, body).compose(r -> r.expectOk("POST " + path)).map(r -> r.json().getLong("id"));
  }

  /**
   * For setting up a world, not for what is measured: a 503 (the node refusing what it cannot take now, e.g. a
   * burst of sign-ups past its bcrypt queue) is sent again after its {@code Retry-After}, as a client should.
   */
  Future<Reply> sendPatiently(HttpMethod method, String path, String token, JsonObject body) {
    return send(method, path, token, body).compose(r -> {
      if (r.status() != 503) return Future.succeededFuture(r);
      long wait = 1_000L * Math.max(1, r.retryAfterSeconds());
      return vertx.timer(wait).compose(v -> sendPatiently(method, path, token, body));
    });
  }

  /** The reply, whatever its status; a failed future only when no reply came (refused, reset, timed out). */
  Future<Reply> send(HttpMethod method, String path, String token, JsonObject body) {
    long t0 = System.nanoTime();
    RequestOptions o = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
      .setIdleTimeout(60_000);
    if (token != null) o.putHeader("Authorization", "Bearer " + token);
    Buffer payload = body == null ? null : body.toBuffer();
    if (payload != null) o.putHeader("Content-Type", "application/json");
    return client.request(o)
      .compose(req -> payload == null ? req.send() : req.send(payload))
      .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b, t0, System.nanoTime(),
        resp.getHeader("Retry-After"))));
  }

  @Override
  public void close() {
    client.close();
  }

  /** A reply, with when its request was sent and when the reply's body was in (System.nanoTime). */
  record Reply(int status, Buffer body, long sentNanos, long doneNanos, String retryAfter) {
    long retryAfterSeconds() {
      try {
        return retryAfter == null ? 1 : Long.parseLong(retryAfter.trim());
      } catch (NumberFormatException e) {
        return 1;
      }
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonObject json() {
      if (body.length() == 0) return new JsonObject();
      try {
        return body.toJsonObject();
      } catch (RuntimeException e) {
        return new JsonObject().put("raw", body.toString());
      }
    }

    JsonArray items() {
      JsonArray items = json().getJsonArray("items");
      return items == null ? new JsonArray() : items;
    }

    double ms() {
      return (doneNanos - sentNanos) / 1e6;
    }

    /** The reply or, unless it is 2xx, a failed future naming the request. */
    Future<Reply> expectOk(String what) {
      return ok() ? Future.succeededFuture(this)
        : Future.failedFuture(new IllegalStateException(what + " → " + status + " " + body));
    }
  }
}
