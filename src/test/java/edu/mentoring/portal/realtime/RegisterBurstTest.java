package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("A burst of registers (a class signing in, a reconnect storm) is queued, not refused")
class RegisterBurstTest {

  @Test
  @DisplayName("160 sockets registering four rooms at once on a node with a 2-connection pool and 8 waiting: every room is joined, none refused as unavailable")
  void burstOnATinyPool() throws Exception {
    try (TestPortal portal = TestPortal.start(Map.of(PortalConfig.DB_POOL_SIZE, "2", PortalConfig.DB_WAIT_QUEUE, "8"))) {
      School school = School.build(portal.api());
      List<School.Member> students = new ArrayList<>();
      // no relationship changes just before the burst (a register answered across one is asked again)
      for (int i = 0; i < 40; i++) {
        students.add(school.register("burst-" + i + "-" + java.util.UUID.randomUUID() + "@school.test", "Burst " + i, null));
      }
      List<BridgeClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < students.size() * 4; i++) clients.add(BridgeClient.connect(portal.node().vertx(), portal.port()));
        // then every register at once
        for (int i = 0; i < clients.size(); i++) {
          School.Member s = students.get(i / 4);
          for (String room : List.of(Rooms.user(s.id()), Rooms.student(s.id()), Rooms.role("student"),
            Rooms.mentor(school.mentorA.id()))) {
            clients.get(i).register(room, s.token());
          }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; i < clients.size(); i++) {
          BridgeClient c = clients.get(i);
          School.Member s = students.get(i / 4);
          for (String room : List.of(Rooms.user(s.id()), Rooms.student(s.id()), Rooms.role("student"))) {
            while (!c.hasJoined(room) && System.nanoTime() < deadline) Thread.sleep(5);
            int socket = i;
            assertTrue(c.hasJoined(room), () -> "socket " + socket + " joined " + room + "; err frames: "
              + c.await(f -> "err".equals(f.getString("type")), Duration.ofMillis(1)));
          }
          // a room the student may not join is still refused, not queued for ever
          JsonObject err = c.awaitError(Duration.ofSeconds(10));
          assertEquals("rejected", err.getString("body"), "the mentor's room is refused: " + err);
        }
      } finally {
        clients.forEach(BridgeClient::close);
      }
    }
  }

  @Test
  @DisplayName("the node asks the account store in batches, a bounded number at a time; a user's waiting registers share one answer; a question already sent is never shared with a later register; a user who does not exist is refused; answers come back on the caller's context")
  void questionsAreBoundedAndFresh() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger maxInFlight = new AtomicInteger();
      Map<Long, AtomicInteger> asked = new ConcurrentHashMap<>();
      vertx.eventBus().<JsonObject>localConsumer(AccountAddresses.ROOM_GRANTS_MANY, m -> {
        JsonArray users = m.body().getJsonObject("body").getJsonArray("userIds");
        JsonArray grants = new JsonArray();
        for (Object u : users) {
          long user = ((Number) u).longValue();
          asked.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
          // user 404 does not exist: left out of the answer
          if (user != 404) grants.add(new JsonObject().put("userId", user).put("rooms", new JsonArray().add(Rooms.user(user))));
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        vertx.setTimer(10, t -> {
          inFlight.decrementAndGet();
          m.reply(new JsonObject().put("grants", grants));
        });
      }).completion().await();
      GrantChecks checks = new GrantChecks();
      Context caller = vertx.getOrCreateContext();
      List<Future<JsonObject>> answers = new ArrayList<>();
      List<Boolean> onCaller = new ArrayList<>();
      Future.<Void>future(p -> caller.runOnContext(v -> {
        for (long user = 1; user <= 50; user++) {
          for (int room = 0; room < 4; room++) {
            answers.add(checks.grants(vertx, caller, new Actor(user, Role.STUDENT))
              .onComplete(ar -> onCaller.add(Vertx.currentContext() == caller)));
          }
        }
        p.complete();
      })).await();
      Future.all(answers).await();
      for (int i = 0; i < answers.size(); i++) {
        long user = i / 4 + 1;
        assertEquals(new JsonArray().add(Rooms.user(user)), answers.get(i).result().getJsonArray("rooms"));
      }
      assertTrue(maxInFlight.get() <= GrantChecks.MAX_IN_FLIGHT, "batches at a time: " + maxInFlight.get());
      int questions = asked.values().stream().mapToInt(AtomicInteger::get).sum();
      assertTrue(questions <= 50 + GrantChecks.MAX_IN_FLIGHT, "waiting registers shared answers: " + questions);
      assertTrue(asked.size() == 50, "every user asked about");
      assertTrue(onCaller.stream().allMatch(b -> b), "every answer on the caller's context");

      // a register arriving while the user's question is already at the store asks again (its answer is fresh)
      asked.clear();
      Future<JsonObject> first = checks.grants(vertx, caller, new Actor(99, Role.STUDENT));
      while (asked.getOrDefault(99L, new AtomicInteger()).get() == 0) Thread.sleep(1);
      Future<JsonObject> second = checks.grants(vertx, caller, new Actor(99, Role.STUDENT));
      Future.all(first, second).await();
      assertEquals(2, asked.get(99L).get(), "the later register had its own question");
      assertSame(0, checks.queuedUsers());

      Throwable missing = checks.grants(vertx, caller, new Actor(404, Role.STUDENT)).transform(ar ->
        Future.succeededFuture(ar.cause())).await();
      assertTrue(missing instanceof edu.mentoring.portal.common.PortalException pe
        && pe.code() == edu.mentoring.portal.common.ErrorCode.NOT_FOUND, "refused: " + missing);
    } finally {
      vertx.close().await();
    }
  }
}
