package edu.mentoring.portal.realtime;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestDatabase;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Fan-out: one bus delivery per node, one frame per socket")
class FanoutTest {
  private static final int PER_NODE = 150;

  @Test
  @DisplayName("300 sockets on one room across two nodes: the bus holds one consumer per node and none per socket; each socket gets the event once")
  void fanout() throws Exception {
    Map<String, String> cluster = Map.of(PortalConfig.CLUSTER, "true",
      PortalConfig.CLUSTER_NAME, "fanout-" + UUID.randomUUID(), PortalConfig.CLUSTER_MEMBERS, "127.0.0.1");
    try (TestDatabase db = TestDatabase.create();
         TestPortal a = TestPortal.startOn(db, cluster);
         TestPortal b = TestPortal.startOn(db, cluster)) {
      Api api = a.api();
      School school = School.build(api);
      String room = Rooms.cohort(school.cohortId);
      List<BridgeClient> clients = new ArrayList<>();
      try {
        for (TestPortal node : List.of(a, b)) {
          for (int i = 0; i < PER_NODE; i++) {
            BridgeClient c = BridgeClient.connect(node.node().vertx(), node.port());
            c.register(room, school.mentorA.token());
            clients.add(c);
          }
          RealtimeFixture.awaitMembers(node, room, PER_NODE);
        }
        // the textbook bridge would hold a cluster-wide registration per socket per room here
        var manager = a.node().clusterManager();
        List<?> deliver = io.vertx.core.Future.<List<io.vertx.core.spi.cluster.RegistrationInfo>>future(
          p -> manager.getRegistrations(RealtimeAddresses.DELIVER, p)).await();
        assertEquals(2, deliver.size(), "one realtime.deliver consumer per node");
        List<?> perRoom = io.vertx.core.Future.<List<io.vertx.core.spi.cluster.RegistrationInfo>>future(
          p -> manager.getRegistrations(room, p)).await();
        assertEquals(0, perRoom.size(), "rooms are not bus addresses: no registration per socket");

        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC).plusDays(5).withMinute(0).withSecond(0).withNano(0);
        Api.Response created = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
          .put("title", "Everyone").put("isGroupSession", true).put("cohortId", school.cohortId)
          .put("startTime", t.toString()).put("endTime", t.plusHours(1).toString()));
        assertEquals(201, created.status(), created::toString);
        long scheduleId = created.json().getLong("id");
        for (BridgeClient c : clients) {
          JsonObject e = c.await(f -> "rec".equals(f.getString("type"))
            && "schedule:created".equals(f.getJsonObject("body").getString("type")), Duration.ofSeconds(10));
          assertEquals(scheduleId, e.getJsonObject("body").getJsonObject("target").getLong("id"));
        }
        RealtimeFixture.sleep(500);
        for (BridgeClient c : clients) {
          long again = c.drain(Duration.ZERO).stream().filter(f -> "rec".equals(f.getString("type"))
            && "schedule:created".equals(f.getJsonObject("body").getString("type"))).count();
          assertEquals(0, again, "exactly one copy per socket");
        }
      } finally {
        clients.forEach(BridgeClient::close);
      }
    }
  }
}
