package edu.mentoring.portal.operations;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What SIGTERM does (PortalMain's shutdown hook calls {@code PortalNode.drain()}), with browsers connected. */
@DisplayName("Drain: a stopping node leaves the rotation at once, moves its sockets over a spread, finishes its requests, in ≤ 5 s")
class DrainTest {
  private static final int SPREAD_MS = 1_000;
  private static final int SOCKETS = 8;

  @Test
  @DisplayName("on drain: ready 503 at once (live 200), new sockets refused, 8 sockets closed spread over the window, "
    + "a request in flight finishes 200, the port closes, all within 5 s")
  void drainsWithSocketsConnected() throws Exception {
    Vertx client = Vertx.vertx();
    TestPortal portal = TestPortal.start(Map.of(PortalConfig.DRAIN_SPREAD_MS, Integer.toString(SPREAD_MS),
      PortalConfig.DB_LOCK_TIMEOUT_MS, "4000"));
    try {
      Api api = new Api(client, portal.port());
      School school = School.build(api);
      List<BridgeClient> sockets = new ArrayList<>();
      for (int i = 0; i < SOCKETS; i++) {
        BridgeClient socket = BridgeClient.connect(client, portal.port());
        assertTrue(socket.registerAndAwait(Rooms.student(school.studentA.id()), school.studentA.token(),
          java.time.Duration.ofSeconds(5)));
        sockets.add(socket);
      }
      assertEquals(200, api.get("/health/ready", null).status());

      School.Member student = school.newStudentOf(school.mentorA);
      Future<Api.Response> inFlight;
      long drainMs;
      try (Connection holder = portal.database().jdbc()) {
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
          s.executeQuery("SELECT id FROM users WHERE id = " + student.id() + " FOR UPDATE").close();
        }
        inFlight = api.request(HttpMethod.PUT, "/api/students/" + student.id() + "/mentor", school.admin.token(),
          new JsonObject().put("mentorId", school.mentorB.id()).toBuffer(), "application/json");
        portal.database().awaitLockWait(java.time.Duration.ofSeconds(3));

        long t0 = System.nanoTime();
        CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> portal.node().drain());
        Api.Response ready = awaitStatus(api, "/health/ready", 503);
        assertTrue(millisSince(t0) < 500, "readiness turned 503 at once: " + millisSince(t0) + " ms");
        assertEquals(true, ready.json().getBoolean("draining"), ready::toString);
        assertEquals(200, api.get("/health/live", null).status(), "alive while draining");
        assertThrows(RuntimeException.class, () -> BridgeClient.connect(client, portal.port()),
          "a new socket is refused while draining");

        // the sockets close one by one across the spread, not all at once
        long[] closedAt = new long[SOCKETS];
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SPREAD_MS + 2_000);
        int open = SOCKETS;
        while (open > 0 && System.nanoTime() < deadline) {
          open = 0;
          for (int i = 0; i < SOCKETS; i++) {
            if (closedAt[i] == 0 && sockets.get(i).isClosed()) closedAt[i] = millisSince(t0);
            if (closedAt[i] == 0) open++;
          }
          Thread.sleep(5);
        }
        assertEquals(0, open, "every socket was closed by the server");
        long first = java.util.Arrays.stream(closedAt).min().orElseThrow();
        long last = java.util.Arrays.stream(closedAt).max().orElseThrow();
        assertTrue(last <= SPREAD_MS + 500, "closed within the spread: " + java.util.Arrays.toString(closedAt));
        assertTrue(last - first >= SPREAD_MS / 4, "spread out: " + java.util.Arrays.toString(closedAt));

        holder.rollback(); // the request in flight gets its row now
        Api.Response finished = inFlight.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(200, finished.status(), "the request in flight when the drain began finished: " + finished);
        drainMs = drained.get(10, TimeUnit.SECONDS);
      }
      assertTrue(drainMs <= 5_000, "drained in " + drainMs + " ms");
      assertEquals(school.mentorB.id(), portal.database().count("SELECT mentor_id FROM users WHERE id = "
        + student.id()));
      try (Socket probe = new Socket()) {
        assertThrows(ConnectException.class, () -> probe.connect(new InetSocketAddress("127.0.0.1", portal.port()), 1_000),
          "the node no longer listens");
      }
    } finally {
      portal.close();
      client.close();
    }
  }

  static Api.Response awaitStatus(Api api, String path, int status) throws InterruptedException {
    Api.Response last = null;
    for (int i = 0; i < 200; i++) {
      last = api.get(path, null);
      if (last.status() == status) return last;
      Thread.sleep(2);
    }
    throw new AssertionError(path + " never answered " + status + ": " + last);
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
