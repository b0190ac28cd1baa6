package edu.mentoring.portal.bench;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.realtime.RealtimeAddresses;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestDatabase;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publish-to-receive latency of one event (run on demand: {@code scripts/bench --hop 1000}): two clustered nodes in one
 * JVM, a bridge socket on each; events published on node A's bus the way the Outbox publishes them; the time
 * until the socket on A (same node) and the socket on B (across the cluster) receive it.
 */
public final class HopBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Map<String, String> cluster = Map.of(PortalConfig.CLUSTER, "true",
      PortalConfig.CLUSTER_NAME, "hop-" + UUID.randomUUID(), PortalConfig.CLUSTER_MEMBERS, "127.0.0.1");
    try (TestDatabase db = TestDatabase.create();
         TestPortal a = TestPortal.startOn(db, cluster);
         TestPortal b = TestPortal.startOn(db, cluster)) {
      School school = School.build(a.api());
      String room = Rooms.role("admin");
      try (BridgeClient onA = BridgeClient.connect(a.node().vertx(), a.port());
           BridgeClient onB = BridgeClient.connect(b.node().vertx(), b.port())) {
        onA.register(room, school.admin.token());
        onB.register(room, school.admin.token());
        Thread.sleep(1_000);
        List<Double> same = new ArrayList<>();
        List<Double> across = new ArrayList<>();
        for (int i = 0; i < n + 200; i++) { // the first 200 warm up
          long t0 = System.nanoTime();
          a.node().vertx().eventBus().publish(RealtimeAddresses.DELIVER, new JsonObject()
            .put("rooms", new JsonArray().add(room)).put("message", new JsonObject().put("type", "hop").put("n", i)));
          int k = i;
          onA.await(f -> "rec".equals(f.getString("type")) && f.getJsonObject("body").getInteger("n", -1) == k, Duration.ofSeconds(5));
          long tA = System.nanoTime();
          onB.await(f -> "rec".equals(f.getString("type")) && f.getJsonObject("body").getInteger("n", -1) == k, Duration.ofSeconds(5));
          long tB = System.nanoTime();
          if (i >= 200) {
            same.add((tA - t0) / 1e6);
            across.add((tB - t0) / 1e6);
          }
        }
        System.out.printf("publish → receive, same node:   p50 %.2f ms, p99 %.2f ms (%d events)%n", pct(same, 50), pct(same, 99), n);
        System.out.printf("publish → receive, across nodes: p50 %.2f ms, p99 %.2f ms%n", pct(across, 50), pct(across, 99));
      }
    }
    System.exit(0);
  }

  private static double pct(List<Double> values, int p) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v[Math.max(0, Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1))];
  }
}
