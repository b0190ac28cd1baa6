package edu.mentoring.portal.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a client comes back after its connection dropped, as the UI does and the contract asks: reconnect with the
 * official client's back-off, register its rooms again (on open), then {@code GET /api/events?after=<highest id
 * seen>} (paging while {@code hasMore}), {@code GET /api/notifications}, and a mentor's
 * {@code GET /api/metrics/dashboard}. A client is whole when all of it succeeded; a failed request is counted by
 * status and the recovery tried again after the next back-off delay. Events are recovered from the highest id
 * seen, without a margin: the contract promises that is enough.
 */
final class Recovery {
  private final Vertx vertx;
  private final LoadClient load;
  private final Http http;
  private final Ledger ledger;
  private final boolean confirmsRooms;
  private final Map<Integer, Integer> attempts = new ConcurrentHashMap<>();
  private final Map<Integer, Long> wholeAt = new ConcurrentHashMap<>();
  private final Map<Integer, Long> openedAt = new ConcurrentHashMap<>();
  private final Map<Integer, Set<String>> recovered = new ConcurrentHashMap<>();
  private final Map<String, Integer> errors = new TreeMap<>();
  private final AtomicInteger reconnects = new AtomicInteger();
  private volatile boolean active;

  Recovery(Vertx vertx, LoadClient load, Http http, Ledger ledger, boolean confirmsRooms) {
    this.vertx = vertx;
    this.load = load;
    this.http = http;
    this.ledger = ledger;
    this.confirmsRooms = confirmsRooms;
  }

  /** From now on a dropped socket reconnects. */
  void activate() {
    active = true;
  }

  void deactivate() {
    active = false;
  }

  /** A socket's connection ended (the ledger tells): once active, it reconnects. */
  void onClosed(ClientSocket s) {
    if (!active) return;
    wholeAt.remove(s.index);
    reconnectLater(s);
  }

  private void reconnectLater(ClientSocket s) {
    int attempt = attempts.merge(s.index, 1, Integer::sum) - 1;
    vertx.setTimer(Math.max(1, Backoff.delayMs(attempt)), id -> {
      reconnects.incrementAndGet();
      s.joined.clear();
      long after = s.maxId();
      load.connect(s).onSuccess(ok -> {
        attempts.put(s.index, 0); // as the official client: the attempt count starts again after an open
        openedAt.put(s.index, System.nanoTime());
        recover(s, after);
      }).onFailure(e -> {
        error("connect failed");
        reconnectLater(s);
      });
    });
  }

  /** Rooms (confirmed, when the server confirms), then events after {@code after}, notifications, dashboard. */
  private void recover(ClientSocket s, long after) {
    Future<Void> rooms = confirmsRooms ? awaitRooms(s, 50) : Future.succeededFuture();
    rooms.compose(v -> events(s, Math.max(0, after)))
      .compose(v -> checked(get("/api/notifications", s.token)))
      .compose(v -> s.member.isStudent() ? Future.succeededFuture()
        : checked(get("/api/metrics/dashboard", s.token)))
      .onSuccess(v -> {
        if (s.isOpen()) wholeAt.putIfAbsent(s.index, System.nanoTime());
      })
      .onFailure(e -> {
        if (!s.isOpen()) return; // the socket dropped again: its close handler reconnects it
        int attempt = attempts.merge(s.index, 1, Integer::sum) - 1;
        vertx.setTimer(Math.max(1, Backoff.delayMs(attempt)), id -> recover(s, after));
      });
  }

  private Future<Void> awaitRooms(ClientSocket s, int triesLeft) {
    if (s.joined.containsAll(s.rooms)) return Future.succeededFuture();
    if (triesLeft == 0 || !s.isOpen()) {
      error("rooms not confirmed");
      return Future.failedFuture("rooms not confirmed");
    }
    return vertx.timer(100).compose(v -> awaitRooms(s, triesLeft - 1));
  }

  private Future<Void> events(ClientSocket s, long after) {
    return checked(get("/api/events?after=" + after + "&limit=200", s.token)).compose(r -> {
      JsonObject page = r.json();
      long last = after;
      for (Object o : page.getJsonArray("items", new JsonArray())) {
        JsonObject e = (JsonObject) o;
        recovered.computeIfAbsent(s.index, k -> ConcurrentHashMap.newKeySet())
          .add(Ledger.key(e.getString("type"), e.getJsonObject("target", new JsonObject()).getLong("id", -1L)));
        last = Math.max(last, e.getLong("id", last));
      }
      return page.getBoolean("hasMore", false) && last > after ? events(s, last) : Future.succeededFuture();
    });
  }

  /** As webroot/js/api.js does: a 503 to a GET is sent again after its Retry-After, at most 3 times. */
  private Future<Http.Reply> get(String path, String token) {
    return get(path, token, 3);
  }

  private Future<Http.Reply> get(String path, String token, int retries) {
    return http.get(path, token).compose(r -> {
      if (r.status() != 503 || retries == 0) return Future.succeededFuture(r);
      error("HTTP 503, sent again after its Retry-After");
      return vertx.timer(1_000L * Math.max(1, r.retryAfterSeconds())).compose(v -> get(path, token, retries - 1));
    });
  }

  private Future<Http.Reply> checked(Future<Http.Reply> reply) {
    return reply.transform(ar -> {
      if (ar.failed()) {
        error("no reply");
        return Future.failedFuture(ar.cause());
      }
      if (!ar.result().ok()) {
        error("HTTP " + ar.result().status());
        return Future.failedFuture("HTTP " + ar.result().status());
      }
      return Future.succeededFuture(ar.result());
    });
  }

  private synchronized void error(String kind) {
    errors.merge(kind, 1, Integer::sum);
  }

  synchronized Map<String, Integer> errors() {
    return new TreeMap<>(errors);
  }

  int reconnects() {
    return reconnects.get();
  }

  /** When the socket last opened again (System.nanoTime), or null. */
  Long openedAt(int socket) {
    return openedAt.get(socket);
  }

  /** When the socket became whole (System.nanoTime), or null. */
  Long wholeAt(int socket) {
    return wholeAt.get(socket);
  }

  int whole(Collection<ClientSocket> sockets) {
    return (int) sockets.stream().filter(s -> wholeAt.containsKey(s.index)).count();
  }

  /** Whether the socket has the event: live after it reconnected, or from /api/events. */
  boolean has(ClientSocket s, String key) {
    return ledger.received(key, s.index) || recovered.getOrDefault(s.index, Set.of()).contains(key);
  }
}
