package edu.mentoring.portal.realtime;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Recovery: nothing a user may see is lost across a disconnect, and ids never appear out of order")
class RecoveryTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;
  private static int slot;



  /** A 1:1 session by mentorA for studentA, each in its own hour so none overlap. */
  private static long createSession() {
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.ofHours(2)).plusDays(30).withMinute(0).withSecond(0)
      .withNano(0).plusHours(slot++);
    Api.Response r = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
      .put("title", "Session " + slot).put("studentId", school.studentA.id())
      .put("startTime", start.toString()).put("endTime", start.plusMinutes(30).toString()));
    assertEquals(201, r.status(), r::toString);
    return r.json().getLong("id");
  }

  @Test
  @DisplayName("a client that was offline while sessions were created gets every one after reconnecting, once")
  void reconnectWithoutLoss() {
    String room = Rooms.student(school.studentA.id());
    TreeMap<Long, JsonObject> seen = new TreeMap<>(); // what the client merges, by event id
    List<Long> created = new ArrayList<>();
    long highest;
    try (BridgeClient c = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      c.register(room, school.studentA.token());
      RealtimeFixture.awaitMembers(portal, room, 1);
      created.add(createSession());
      JsonObject live = c.awaitMessage(room, Duration.ofSeconds(5));
      assertNotNull(live, "received live while connected");
      seen.put(live.getLong("id"), live);
      highest = live.getLong("id");
    }
    // offline: three sessions happen
    for (int i = 0; i < 3; i++) created.add(createSession());
    try (BridgeClient c = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      // the contract's order: register first, then ask for what was missed
      c.register(room, school.studentA.token());
      RealtimeFixture.awaitMembers(portal, room, 1);
      created.add(createSession()); // one more while recovering: may come both ways
      long after = highest;
      boolean more = true;
      while (more) {
        Api.Response page = api.get("/api/events?after=" + after + "&limit=2", school.studentA.token());
        assertEquals(200, page.status());
        for (Object o : page.items()) {
          JsonObject e = (JsonObject) o;
          seen.put(e.getLong("id"), e);
          after = Math.max(after, e.getLong("id"));
        }
        more = page.json().getBoolean("hasMore");
      }
      for (JsonObject frame : c.drain(Duration.ofSeconds(1))) {
        if ("rec".equals(frame.getString("type"))) {
          JsonObject e = frame.getJsonObject("body");
          seen.putIfAbsent(e.getLong("id"), e);
        }
      }
    }
    List<Long> scheduleIds = seen.values().stream()
      .filter(e -> e.getString("type").equals("schedule:created"))
      .map(e -> e.getJsonObject("target").getLong("id")).toList();
    assertEquals(created, scheduleIds, "every session, once, in order");
  }

  @Test
  @DisplayName("under concurrent commands, the visible event ids are always exactly 1..n: never a gap that fills later")
  void idsBecomeVisibleInOrder() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    Future<?> poller = pool.submit(() -> {
      Api poll = portal.api();
      while (running.get()) {
        JsonArray items = poll.get("/api/events?after=0&limit=500", school.admin.token()).items();
        for (int i = 0; i < items.size(); i++) {
          long id = items.getJsonObject(i).getLong("id");
          if (id != i + 1) {
            violations.add("position " + i + " holds id " + id);
            return;
          }
        }
      }
    });
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      writers.add(pool.submit(() -> {
        Api mine = portal.api();
        for (int i = 0; i < 15; i++) {
          JsonObject body = new JsonObject().put("email", "order-" + writer + "-" + i + "@school.test")
            .put("password", "password-123").put("name", "Order " + writer);
          assertEquals(201, mine.post("/api/auth/register", null, body).status());
        }
      }));
    }
    for (Future<?> f : writers) f.get();
    // every event committed with its request; poll a little longer, then stop
    RealtimeFixture.sleep(300);
    running.set(false);
    poller.get();
    pool.shutdown();
    assertTrue(violations.isEmpty(), violations::toString);
    long max = portal.database().count("SELECT max(id) FROM activity_feed");
    assertEquals(max, portal.database().count("SELECT count(*) FROM activity_feed"), "ids are dense");
  }
}
