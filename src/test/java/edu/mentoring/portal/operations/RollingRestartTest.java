package edu.mentoring.portal.operations;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.NodeProcess;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestDatabase;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes as an operator runs them (own JVMs, SIGTERM restarts), restarted one after the other with
 * {@code scripts/rolling-restart} while a student keeps writing and four browser sockets, two on each node, follow
 * her room. The clients do what the contract tells clients to do: retry a refused or cut-off POST on another node with
 * the same Idempotency-Key; reconnect a closed socket to another node and recover with {@code /api/events?after=}.
 */
@DisplayName("Rolling restart: two nodes restarted in turn under steady writes lose no request and no event")
class RollingRestartTest {
  private static final int SOCKETS = 4;

  @Test
  @DisplayName("scripts/rolling-restart over two nodes: zero failed writes, every socket gets every event once after "
    + "dedupe, and is whole again within seconds of its node draining")
  void rollingRestart() throws Exception {
    String clusterPort = Integer.toString(21_000 + 20 * ThreadLocalRandom.current().nextInt(400));
    Map<String, String> settings = Map.of(PortalConfig.CLUSTER, "true",
      PortalConfig.CLUSTER_NAME, "rolling-" + UUID.randomUUID(), PortalConfig.CLUSTER_MEMBERS, "127.0.0.1",
      PortalConfig.CLUSTER_PORT, clusterPort, PortalConfig.DRAIN_SPREAD_MS, "1000",
      PortalConfig.ADMIN_EMAIL, TestPortal.ADMIN_EMAIL, PortalConfig.ADMIN_PASSWORD, TestPortal.ADMIN_PASSWORD,
      PortalConfig.LOG_FORMAT, "text");
    Vertx client = Vertx.vertx();
    Map<String, String> withoutAdmin = new java.util.HashMap<>(settings);
    withoutAdmin.remove(PortalConfig.ADMIN_EMAIL); // one node creates the admin; both start at once
    withoutAdmin.remove(PortalConfig.ADMIN_PASSWORD);
    try (TestDatabase db = TestDatabase.create();
         NodeProcess a = NodeProcess.start("a", db, settings)) {
      try (NodeProcess b = NodeProcess.start("b", db, withoutAdmin)) {
        a.awaitReady(2, Duration.ofSeconds(90));
        b.awaitReady(2, Duration.ofSeconds(90));
        List<NodeProcess> nodes = List.of(a, b);
        List<Api> apis = List.of(new Api(client, a.port()), new Api(client, b.port()));
        School school = School.build(apis.get(0));
        String room = Rooms.student(school.studentA.id());
        long startId = db.count("SELECT COALESCE(max(id), 0) FROM activity_feed");

        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
          browsers.add(new Browser(i, client, nodes, apis, i % 2, room, school.studentA.token(), startId));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread followers = new Thread(() -> {
          while (running.get()) browsers.forEach(Browser::poll);
        }, "browsers");
        followers.start();

        Writer writer = new Writer(apis, school.studentA.token());
        Thread writes = new Thread(() -> writer.run(running), "writes");
        writes.start();
        Thread.sleep(500);

        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("scripts/rolling-restart").toString(), "--settle", "1",
          a.url(), a.restartCommand(), b.url(), b.restartCommand()).redirectErrorStream(true);
        Process script = pb.start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(script.waitFor(180, TimeUnit.SECONDS), "the restart finished");
        long restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(0, script.exitValue(), output);
        Thread.sleep(500); // writes on the restarted cluster too
        running.set(false);
        writes.join(30_000);

        // every event of every acknowledged write, on every socket
        Set<Long> expected = new TreeSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        boolean whole = false;
        while (!whole && System.nanoTime() < deadline) {
          expected.clear();
          expected.addAll(eventIds(db, writer.created));
          for (Browser br : browsers) br.poll();
          whole = expected.size() == writer.created.size() && browsers.stream().allMatch(br -> br.seen.containsAll(expected));
        }
        followers.join(10_000);
        StringBuilder figures = new StringBuilder();
        figures.append(String.format("rolling restart of 2 nodes in %d ms; writes %d ok, %d failed, %d retried; "
            + "events %d; drain ms a=%s b=%s%n", restartMs, writer.created.size(), writer.failed.get(),
          writer.retries.get(), expected.size(), a.drainTimes(), b.drainTimes()));
        for (Browser br : browsers) {
          Set<Long> missing = new TreeSet<>(expected);
          missing.removeAll(br.seen);
          figures.append(String.format("socket %d: %d reconnect(s), whole again after %s ms, %d duplicate(s) dropped, "
            + "missing %s%n", br.index, br.reconnects, br.wholeAfterMs, br.duplicates, missing));
        }
        System.out.println(figures);
        assertEquals(0, writer.failed.get(), "no write failed after its retries:\n" + figures + writer.problems);
        assertTrue(writer.created.size() >= 20, "steady writes: " + figures);
        assertEquals(writer.created.size(), expected.size(), "each write's event is in the log");
        for (Browser br : browsers) {
          assertTrue(br.seen.containsAll(expected), "socket " + br.index + " got every event:\n" + figures);
          assertTrue(br.reconnects >= 1, "every socket moved at least once:\n" + figures);
          for (long ms : br.wholeAfterMs) assertTrue(ms <= 5_000, "whole again within 5 s:\n" + figures);
        }
        for (NodeProcess n : nodes) {
          for (long ms : n.drainTimes()) assertTrue(ms <= 5_000, "node " + n.name() + " drained in " + ms + " ms");
        }
      }
    } finally {
      client.close();
    }
  }

  private static Set<Long> eventIds(TestDatabase db, Set<Long> entries) {
    Set<Long> ids = new TreeSet<>();
    if (entries.isEmpty()) return ids;
    StringBuilder in = new StringBuilder();
    for (Long e : entries) in.append(in.length() == 0 ? "" : ",").append(e);
    try (var c = db.jdbc(); var s = c.createStatement(); var rs = s.executeQuery(
      "SELECT id FROM activity_feed WHERE id IS NOT NULL AND event_type = 'entry:created' AND target_id IN (" + in + ")")) {
      while (rs.next()) ids.add(rs.getLong(1));
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return ids;
  }

  /** A student creating an entry every ~100 ms through whichever node answers, retrying with the same key. */
  static final class Writer {
    final List<Api> apis;
    final String token;
    final Set<Long> created = ConcurrentHashMap.newKeySet();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger retries = new AtomicInteger();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    Writer(List<Api> apis, String token) {
      this.apis = apis;
      this.token = token;
    }

    void run(AtomicBoolean running) {
      int n = 0;
      while (running.get()) {
        String key = "rolling-" + n;
        JsonObject body = new JsonObject().put("title", "Entry " + n).put("content", "written during the restart");
        boolean done = false;
        for (int attempt = 0; attempt < 20 && !done; attempt++) {
          Api api = apis.get((n + attempt) % apis.size()); // the balancer's next node, another one on a retry
          try {
            Api.Response r = api.requestWithHeader(HttpMethod.POST, "/api/entries", token, body.toBuffer(),
              "Idempotency-Key", key).toCompletionStage().toCompletableFuture().get(12, TimeUnit.SECONDS);
            if (r.status() == 201) {
              created.add(r.json().getLong("id"));
              done = true;
            } else if (r.status() == 503 || r.status() == 409) {
              retries.incrementAndGet(); // refused by a draining or busy node, or the first try still running
            } else {
              problems.add(key + " → " + r);
              break;
            }
          } catch (Exception e) {
            retries.incrementAndGet(); // the node is gone: connection refused or closed
          }
          if (!done) sleep(150);
        }
        if (!done) {
          failed.incrementAndGet();
          problems.add(key + " failed after retries");
        }
        n++;
        sleep(100);
      }
    }
  }

  /** A browser tab: one socket, reconnected to another node when its own closes, then recovered. */
  static final class Browser {
    final int index;
    final Vertx vertx;
    final List<NodeProcess> nodes;
    final List<Api> apis;
    final String room;
    final String token;
    final Set<Long> seen = new HashSet<>();
    final List<Long> wholeAfterMs = new ArrayList<>();
    int duplicates;
    int reconnects;
    int node;
    long lastId;
    BridgeClient socket;

    Browser(int index, Vertx vertx, List<NodeProcess> nodes, List<Api> apis, int node, String room, String token,
            long startId) {
      this.index = index;
      this.vertx = vertx;
      this.nodes = nodes;
      this.apis = apis;
      this.node = node;
      this.room = room;
      this.token = token;
      this.lastId = startId;
      this.socket = BridgeClient.connect(vertx, nodes.get(node).port());
      if (!socket.registerAndAwait(room, token, Duration.ofSeconds(10))) throw new AssertionError("room refused");
    }

    void poll() {
      for (JsonObject e : socket.drainEvents(Duration.ofMillis(20))) accept(e);
      if (!socket.isClosed()) return;
      long closedAt = System.nanoTime();
      socket.close();
      // the balancer sends the reconnect to a node that is ready (the draining one refuses sockets)
      for (int attempt = 0; attempt < 200; attempt++) {
        int next = (node + 1 + attempt) % nodes.size();
        try {
          BridgeClient again = BridgeClient.connect(vertx, nodes.get(next).port());
          if (!again.registerAndAwait(room, token, Duration.ofSeconds(5))) {
            again.close();
            throw new IllegalStateException("not joined");
          }
          socket = again;
          node = next;
          reconnects++;
          recover(apis.get(next));
          wholeAfterMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt));
          return;
        } catch (RuntimeException e) {
          sleep(100);
        }
      }
      throw new AssertionError("socket " + index + " could not reconnect");
    }

    /** After the room is joined: every event after the last one seen, page by page (the contract's recovery). */
    private void recover(Api api) {
      while (true) {
        Api.Response page = api.get("/api/events?after=" + lastId + "&limit=200", token);
        if (page.status() != 200) {
          sleep(100);
          continue;
        }
        JsonArray items = page.json().getJsonArray("items");
        for (Object o : items) accept((JsonObject) o);
        if (items.size() < 200) return;
      }
    }

    private void accept(JsonObject event) {
      long id = event.getLong("id");
      if (!seen.add(id)) duplicates++;
      lastId = Math.max(lastId, id);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
