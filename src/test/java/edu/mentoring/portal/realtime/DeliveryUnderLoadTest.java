package edu.mentoring.portal.realtime;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node flooded with writes from many connections at once (a pool of two, so commands queue behind each other),
 * sockets of a cohort listening: no delivery to a live socket is dropped or reordered. (A socket that stops
 * reading is cut off and closed, never silently skipped: BridgeProtectionTest.)
 */
@DisplayName("Under a flood of writes: every live socket gets every event of its room, once, in id order")
class DeliveryUnderLoadTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture(Map.of(PortalConfig.DB_POOL_SIZE, "2"));
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static final int WRITERS = 16;
  private static final int EACH = 25;

  @Test
  @DisplayName("16 writers × 25 group sessions at once through a pool of two: 20 sockets of the cohort get all of them")
  void nothingDroppedUnderLoad() throws Exception {
    String room = Rooms.cohort(school.cohortId);
    List<BridgeClient> listeners = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        BridgeClient c = BridgeClient.connect(portal.node().vertx(), portal.port());
        listeners.add(c);
        assertTrue(c.registerAndAwait(room, school.mentorA.token(), Duration.ofSeconds(5)));
      }

      Set<Long> created = ConcurrentHashMap.newKeySet();
      AtomicInteger slot = new AtomicInteger();
      String description = "x".repeat(2_000);
      OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withMinute(0).withSecond(0).withNano(0);
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(pool.submit(() -> {
          Api own = portal.api();
          for (int i = 0; i < EACH; i++) {
            OffsetDateTime start = base.plusMinutes(30L * slot.getAndIncrement());
            Api.Response r = own.post("/api/schedules", school.mentorA.token(), new JsonObject()
              .put("title", "Flood").put("description", description).put("isGroupSession", true)
              .put("cohortId", school.cohortId).put("startTime", start.toString())
              .put("endTime", start.plusMinutes(20).toString()));
            // refusing under overload is allowed (503 + Retry-After); a 2xx must reach everyone
            if (r.status() == 201) created.add(r.json().getLong("id"));
            else assertEquals(503, r.status(), r::toString);
          }
          return null;
        }));
      }
      for (Future<?> f : writers) f.get(3, TimeUnit.MINUTES);
      pool.shutdown();
      assertTrue(created.size() > WRITERS * EACH / 2, "most writes went through: " + created.size());

      for (BridgeClient c : listeners) {
        List<JsonObject> events = c.eventsUntil("schedule:created", created, Duration.ofSeconds(30));
        assertTrue(!c.isClosed(), "a socket that kept reading was not cut off");
        assertEquals(created, BridgeClient.targets(events, "schedule:created"), "a live socket got every session");
        BridgeClient.assertIncreasing(events);
      }
      assertEquals(20, portal.node().rooms().roomMembers(room));
    } finally {
      listeners.forEach(BridgeClient::close);
    }
  }
}
