package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Revocation: a socket loses the rooms its user lost, within 5 seconds")
class RevocationTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  @Test
  @DisplayName("a mentor whose student is reassigned stops receiving that student's room; the new mentor may join")
  void reassignedStudent() {
    School.Member student = school.register("moving@school.test", "Moving Student", null);
    reached(() -> school.assign(student, school.mentorA));
    String room = Rooms.student(student.id());
    try (BridgeClient oldMentor = BridgeClient.connect(portal.node().vertx(), portal.port());
         BridgeClient newMentor = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      oldMentor.register(room, school.mentorA.token());
      RealtimeFixture.awaitMembers(portal, room, 1);
      long t0 = System.nanoTime();
      school.assign(student, school.mentorB);
      JsonObject revoked = oldMentor.await(f -> "err".equals(f.getString("type")), Duration.ofSeconds(5));
      assertNotNull(revoked, "revoked within 5 s");
      assertEquals("revoked", revoked.getString("body"));
      assertEquals(room, revoked.getString("address"));
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
      RealtimeFixture.awaitMembers(portal, room, 0);
      newMentor.register(room, school.mentorB.token());
      RealtimeFixture.awaitMembers(portal, room, 1);
      RealtimeFixture.publish(portal, new JsonObject().put("type", "probe"), room);
      assertNotNull(newMentor.awaitMessage(room, Duration.ofSeconds(5)));
      assertNull(oldMentor.awaitMessage(room, Duration.ofMillis(500)));
    }
  }

  @Test
  @DisplayName("a student who leaves a cohort stops receiving the cohort's room")
  void leftCohort() {
    School.Member student = school.register("leaving@school.test", "Leaving Student", school.cohortId);
    String room = Rooms.cohort(school.cohortId);
    try (BridgeClient c = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      c.register(room, student.token());
      RealtimeFixture.awaitMembers(portal, room, 1);
      Api.Response left = api.put("/api/students/" + student.id() + "/cohort", school.admin.token(),
        new JsonObject().putNull("cohortId"));
      assertEquals(200, left.status(), left::toString);
      JsonObject revoked = c.awaitError(Duration.ofSeconds(5));
      assertNotNull(revoked);
      assertEquals("revoked", revoked.getString("body"));
      RealtimeFixture.awaitMembers(portal, room, 0);
    }
  }

  @Test
  @DisplayName("a reassignment re-checks only the sockets it can affect, not every socket on the node")
  void recheckOnlyAffected() {
    School.Member student = school.register("rechecked@school.test", "Rechecked Student", null);
    reached(() -> school.assign(student, school.mentorA));
    AtomicInteger grantChecks = new AtomicInteger();
    Handler<DeliveryContext<Object>> counter = ctx -> {
      // users asked about (the node asks in batches: one question can name several users)
      if (AccountAddresses.ROOM_GRANTS_MANY.equals(ctx.message().address())) {
        grantChecks.addAndGet(((JsonObject) ctx.message().body()).getJsonObject("body").getJsonArray("userIds").size());
      }
      ctx.next();
    };
    List<BridgeClient> bystanders = new ArrayList<>();
    try (BridgeClient own = BridgeClient.connect(portal.node().vertx(), portal.port());
         BridgeClient mentor = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      for (int i = 0; i < 10; i++) {
        BridgeClient c = BridgeClient.connect(portal.node().vertx(), portal.port());
        bystanders.add(c);
        c.register(Rooms.student(school.studentB.id()), school.studentB.token());
      }
      own.register(Rooms.student(student.id()), student.token());
      mentor.register(Rooms.student(student.id()), school.mentorA.token());
      RealtimeFixture.awaitMembers(portal, Rooms.student(student.id()), 2);
      RealtimeFixture.awaitMembers(portal, Rooms.student(school.studentB.id()), 10);
      portal.node().vertx().eventBus().addOutboundInterceptor(counter);
      school.assign(student, school.mentorB);
      JsonObject revoked = mentor.awaitError(Duration.ofSeconds(5));
      assertNotNull(revoked, "the former mentor's socket was re-checked and lost the room");
      RealtimeFixture.sleep(300);
      assertEquals(2, grantChecks.get(), "the student and the former mentor are re-checked, not the 10 bystanders' user");
      assertEquals(10, portal.node().rooms().roomMembers(Rooms.student(school.studentB.id())));
    } finally {
      portal.node().vertx().eventBus().removeOutboundInterceptor(counter);
      bystanders.forEach(BridgeClient::close);
    }
  }

  @Test
  @DisplayName("a reassignment tells the student, the former mentor and the new one (each on their own room) and the admins to re-read")
  void relationshipsChangedPush() {
    School.Member student = school.register("told@school.test", "Told Student", null);
    reached(() -> school.assign(student, school.mentorA));
    School.Member bystander = reached(() -> school.newStudentOf(school.mentorA));
    try (BridgeClient own = BridgeClient.connect(portal.node().vertx(), portal.port());
         BridgeClient former = BridgeClient.connect(portal.node().vertx(), portal.port());
         BridgeClient next = BridgeClient.connect(portal.node().vertx(), portal.port());
         BridgeClient other = BridgeClient.connect(portal.node().vertx(), portal.port());
         BridgeClient admins = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      // every room confirmed before the change: a room still being granted would miss the push
      assertTrue(admins.registerAndAwait(Rooms.role("admin"), school.admin.token(), Duration.ofSeconds(10)));
      assertTrue(own.registerAndAwait(Rooms.user(student.id()), student.token(), Duration.ofSeconds(10)));
      assertTrue(former.registerAndAwait(Rooms.user(school.mentorA.id()), school.mentorA.token(), Duration.ofSeconds(10)));
      assertTrue(next.registerAndAwait(Rooms.user(school.mentorB.id()), school.mentorB.token(), Duration.ofSeconds(10)));
      assertTrue(other.registerAndAwait(Rooms.user(bystander.id()), bystander.token(), Duration.ofSeconds(10)));
      school.assign(student, school.mentorB);
      for (BridgeClient told : List.of(own, former, next, admins)) {
        JsonObject message = told.await(f -> "rec".equals(f.getString("type"))
          && "relationships:changed".equals(f.getJsonObject("body").getString("type")), Duration.ofSeconds(5));
        assertNotNull(message, "relationships:changed reaches every user the change concerns");
        assertEquals(student.id(), message.getJsonObject("body").getJsonObject("data").getLong("studentId"));
        assertNotNull(message.getJsonObject("body").getLong("id"), "numbered with the events it is ordered against");
      }
      assertTrue(other.drain(Duration.ofMillis(300)).stream()
        .noneMatch(f -> "rec".equals(f.getString("type"))), "a student the change does not concern hears nothing");
      // recovery brings it back to a browser that was offline; the activity feed does not list it
      JsonObject recovered = api.get("/api/events?after=0&limit=200", student.token()).json();
      assertTrue(recovered.getJsonArray("items").stream().map(JsonObject.class::cast)
        .anyMatch(e -> "relationships:changed".equals(e.getString("type"))), recovered::encode);
      JsonObject listed = api.get("/api/activity?limit=200", school.mentorB.token()).json();
      assertTrue(listed.getJsonArray("items").stream().map(JsonObject.class::cast)
        .noneMatch(e -> "relationships:changed".equals(e.getString("type"))), listed::encode);
      JsonObject strangers = api.get("/api/events?after=0&limit=200", bystander.token()).json();
      assertTrue(strangers.getJsonArray("items").stream().map(JsonObject.class::cast)
        .noneMatch(e -> "relationships:changed".equals(e.getString("type"))
          && student.id() == e.getJsonObject("data").getLong("studentId", -1L)), strangers::encode);
    }
  }

  @Test
  @DisplayName("an entry the student writes after a reassignment never reaches the former mentor's socket, even when the change's own message comes late to the node")
  void eventAfterTheChangeComesLate() throws Exception {
    School.Member student = school.register("late@school.test", "Late Student", null);
    reached(() -> school.assign(student, school.mentorA));
    String room = Rooms.student(student.id());
    try (BridgeClient mentor = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      assertTrue(mentor.registerAndAwait(room, school.mentorA.token(), Duration.ofSeconds(5)));
      Api.Response entry = whileChangesComeLate(() -> {
        school.assign(student, school.mentorB);
        return api.post("/api/entries", student.token(), new JsonObject().put("title", "Written after the change")
          .put("content", "only my new mentor may read this"));
      });
      assertEquals(201, entry.status(), entry::toString);
      List<JsonObject> frames = mentor.throughError(Duration.ofSeconds(5), Duration.ofMillis(500));
      JsonObject revoked = BridgeClient.firstError(frames);
      assertNotNull(revoked, "revoked: " + frames);
      assertEquals("revoked", revoked.getString("body"));
      long entryId = entry.json().getLong("id");
      assertTrue(frames.stream().noneMatch(f -> "rec".equals(f.getString("type"))
          && "entry:created".equals(f.getJsonObject("body").getString("type"))
          && entryId == f.getJsonObject("body").getJsonObject("target").getLong("id", -1L)),
        () -> "the entry reached the former mentor: " + frames);
    }
  }

  @Test
  @DisplayName("when a socket's token expires it loses its rooms")
  void expiredToken() {
    String shortLived = portal.tokenExpiringIn(school.studentA.id(), "student", 2);
    String room = Rooms.student(school.studentA.id());
    try (BridgeClient c = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      c.register(room, shortLived);
      RealtimeFixture.awaitMembers(portal, room, 1);
      JsonObject revoked = c.awaitError(Duration.ofSeconds(2 + 5));
      assertNotNull(revoked, "revoked within 5 s of expiry");
      assertEquals("revoked", revoked.getString("body"));
      RealtimeFixture.awaitMembers(portal, room, 0);
    }
  }

  @Test
  @DisplayName("a register whose grant check raced a reassignment is checked again: the socket never joins the room it lost, nor hears it")
  void registerRacingReassignment() throws Exception {
    School.Member student = school.register("raced@school.test", "Raced Student", null);
    reached(() -> school.assign(student, school.mentorA));
    String room = Rooms.student(student.id());
    AtomicReference<DeliveryContext<Object>> held = new AtomicReference<>();
    AtomicReference<io.vertx.core.Context> heldOn = new AtomicReference<>();
    CountDownLatch granted = new CountDownLatch(1);
    // holds back the answer to the first grant check of mentorA that still allows the room: read before the change
    Handler<DeliveryContext<Object>> hold = ctx -> {
      JsonObject grants = grantsOf(ctx.message().body(), school.mentorA.id());
      if (grants != null && grants.getJsonArray("rooms").contains(room) && held.compareAndSet(null, ctx)) {
        heldOn.set(io.vertx.core.Vertx.currentContext());
        granted.countDown();
        return;
      }
      ctx.next();
    };
    RoomHub hub = portal.node().rooms();
    portal.node().vertx().eventBus().addInboundInterceptor(hold);
    try (BridgeClient mentor = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      mentor.register(room, school.mentorA.token());
      assertTrue(granted.await(5, TimeUnit.SECONDS), "the grant check was answered");
      long before = hub.relationsVersion();
      school.assign(student, school.mentorB);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (hub.relationsVersion() == before && System.nanoTime() < deadline) RealtimeFixture.sleep(10);
      assertTrue(hub.relationsVersion() > before, "the bridge heard of the change");
      release(held.get(), heldOn.get()); // the stale answer arrives after the change
      JsonObject refused = mentor.awaitError(Duration.ofSeconds(5));
      assertNotNull(refused, "asked again and refused");
      assertEquals("rejected", refused.getString("body"));
      assertEquals(0, hub.roomMembers(room));
      RealtimeFixture.publish(portal, new JsonObject().put("type", "probe"), room);
      assertNull(mentor.awaitMessage(room, Duration.ofMillis(500)));
    } finally {
      portal.node().vertx().eventBus().removeInboundInterceptor(hold);
    }
  }

  @Test
  @DisplayName("while a revoking change is being checked, nothing sent to the room reaches the socket losing it: a probe and the new mentor's session stay away")
  void nothingAfterTheChange() throws Exception {
    School.Member student = school.register("held@school.test", "Held Student", null);
    reached(() -> school.assign(student, school.mentorA));
    String room = Rooms.student(student.id());
    AtomicReference<DeliveryContext<Object>> held = new AtomicReference<>();
    AtomicReference<io.vertx.core.Context> heldOn = new AtomicReference<>();
    CountDownLatch checking = new CountDownLatch(1);
    try (BridgeClient mentor = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      assertTrue(mentor.registerAndAwait(room, school.mentorA.token(), Duration.ofSeconds(5)));
      // holds back the answer to the re-check of mentorA's rooms that the reassignment starts
      Handler<DeliveryContext<Object>> hold = ctx -> {
        if (grantsOf(ctx.message().body(), school.mentorA.id()) != null && held.compareAndSet(null, ctx)) {
          heldOn.set(io.vertx.core.Vertx.currentContext());
          checking.countDown();
          return;
        }
        ctx.next();
      };
      portal.node().vertx().eventBus().addInboundInterceptor(hold);
      try {
        school.assign(student, school.mentorB);
        assertTrue(checking.await(5, TimeUnit.SECONDS), "the re-check started");
        RealtimeFixture.publish(portal, new JsonObject().put("type", "probe"), room);
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(300).truncatedTo(ChronoUnit.HOURS);
        Api.Response created = api.post("/api/schedules", school.mentorB.token(), new JsonObject()
          .put("studentId", student.id()).put("title", "After the change")
          .put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
        assertEquals(201, created.status(), created::toString);
        portal.database().awaitSettled();
        RealtimeFixture.sleep(300); // the event is on its way to the bridge, which holds it for this socket
      } finally {
        portal.node().vertx().eventBus().removeInboundInterceptor(hold);
        if (held.get() != null) release(held.get(), heldOn.get());
      }
      List<JsonObject> frames = mentor.throughError(Duration.ofSeconds(5), Duration.ofMillis(500));
      JsonObject revoked = BridgeClient.firstError(frames);
      assertNotNull(revoked, "revoked once the re-check is answered");
      assertEquals("revoked", revoked.getString("body"));
      assertTrue(frames.stream().noneMatch(f -> "rec".equals(f.getString("type")) && room.equals(f.getString("address"))
          && !"room:joined".equals(f.getJsonObject("body").getString("type"))),
        () -> "delivered after the change: " + frames);
    }
  }

  @Test
  @DisplayName("a task given to a deactivated student's cohort just after never reaches the student's open socket, even when the deactivation's own message comes late: the socket is closed first")
  void eventAfterADeactivationComesLate() throws Exception {
    School.Member student = school.register("switched-off@school.test", "Switched Off", school.cohortId);
    String room = Rooms.cohort(school.cohortId);
    try (BridgeClient socket = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      assertTrue(socket.registerAndAwait(room, student.token(), Duration.ofSeconds(5)));
      Api.Response task = whileChangesComeLate(() -> {
        Api.Response off = api.put("/api/users/" + student.id() + "/active", school.admin.token(),
          new JsonObject().put("active", false));
        assertEquals(200, off.status(), off::toString);
        return api.post("/api/tasks", school.mentorA.token(), new JsonObject().put("cohortId", school.cohortId)
          .put("title", "Given after the deactivation"));
      });
      assertEquals(201, task.status(), task::toString);
      List<JsonObject> frames = socket.drain(Duration.ofMillis(500));
      long taskId = task.json().getLong("id");
      assertTrue(frames.stream().noneMatch(f -> "rec".equals(f.getString("type"))
          && "task:assigned".equals(f.getJsonObject("body").getString("type"))
          && taskId == f.getJsonObject("body").getJsonObject("target").getLong("id", -1L)),
        () -> "the task reached the deactivated student: " + frames);
      assertTrue(frames.stream().anyMatch(f -> "err".equals(f.getString("type"))
        && "revoked".equals(f.getString("body"))), () -> "revoked: " + frames);
      assertTrue(portal.node().rooms().sessions().stream().noneMatch(x -> Long.valueOf(student.id()).equals(x.userId())),
        "the student's socket is closed");
    }
  }

  @Test
  @DisplayName("events the sequencer numbers together: a relationship change goes ahead of the others, whatever order they took their places in")
  void changeNumberedFirstInItsBatch() throws Exception {
    long seqOfEntry;
    long seqOfChange;
    try (java.sql.Connection c = portal.database().jdbc(); java.sql.Statement st = c.createStatement()) {
      c.setAutoCommit(false); // one commit: the sequencer sees both at once and cannot tell which came first
      java.sql.ResultSet rs = st.executeQuery("INSERT INTO activity_feed (event_type, target_type, target_id, data,"
        + " rooms, created_at) VALUES ('entry:created', 'entry', 0, '{}', ARRAY['student:0'], now()),"
        + " ('relationships:changed', 'user', 0, '{\"studentId\": 0}', ARRAY['user:0'], now()) RETURNING seq, event_type");
      java.util.Map<String, Long> seqs = new java.util.HashMap<>();
      while (rs.next()) seqs.put(rs.getString(2), rs.getLong(1));
      c.commit();
      seqOfEntry = seqs.get("entry:created");
      seqOfChange = seqs.get("relationships:changed");
    }
    assertTrue(seqOfEntry < seqOfChange, "the entry took its place first");
    portal.database().awaitSettled();
    long entryId = portal.database().count("SELECT id FROM activity_feed WHERE seq = " + seqOfEntry);
    long changeId = portal.database().count("SELECT id FROM activity_feed WHERE seq = " + seqOfChange);
    assertEquals(entryId - 1, changeId, "the change is numbered just ahead of the entry committed with it");
  }

  /**
   * Makes a relationship change and returns once this node's bridge has reached it in the event stream (it re-checks
   * sockets then): a test's sockets opened after a set-up change must not be re-checked by it.
   */
  private static <T> T reached(java.util.function.Supplier<T> change) {
    long before = portal.node().rooms().relationsVersion();
    T result = change.get();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (portal.node().rooms().relationsVersion() == before && System.nanoTime() < deadline) RealtimeFixture.sleep(5);
    assertTrue(portal.node().rooms().relationsVersion() > before, "the bridge reached the change");
    return result;
  }

  private static void reached(Runnable change) {
    reached(() -> {
      change.run();
      return null;
    });
  }

  /**
   * Runs {@code writes} while every relationship change is held back on its way to this node's consumers, until the
   * node has had time to read the missing ids from the event log; then lets the held messages go. The node hears of
   * what was committed after a change first, as a node far from the sequencer may.
   */
  private static <T> T whileChangesComeLate(java.util.function.Supplier<T> writes) {
    List<Runnable> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> late = ctx -> {
      if (edu.mentoring.portal.events.FeedAddresses.STAMPED.equals(ctx.message().address())
          && ctx.message().body() instanceof JsonObject body && body.getJsonObject("event") != null
          && "relationships:changed".equals(body.getJsonObject("event").getString("type"))) {
        io.vertx.core.Context on = io.vertx.core.Vertx.currentContext();
        held.add(() -> release(ctx, on));
        return;
      }
      ctx.next();
    };
    portal.node().vertx().eventBus().addInboundInterceptor(late);
    T result;
    try {
      result = writes.get();
      portal.database().awaitSettled();
      RealtimeFixture.sleep(RoomBridge.GAP_WAIT_MS + 500); // the node reads the missing id from the event log
    } finally {
      portal.node().vertx().eventBus().removeInboundInterceptor(late);
      held.forEach(Runnable::run);
    }
    assertFalse(held.isEmpty(), "the change's message was held back");
    return result;
  }

  /** Lets a held message go on, on the context it was held on. */
  private static void release(DeliveryContext<Object> message, io.vertx.core.Context on) {
    if (on == null) {
      message.next();
    } else {
      on.runOnContext(v -> message.next());
    }
  }

  /** {@code user}'s grants in an answer of the account store (one user's, or a batch's), or null. */
  private static JsonObject grantsOf(Object body, long user) {
    if (!(body instanceof JsonObject answer)) return null;
    if (answer.getJsonArray("rooms") != null) return Long.valueOf(user).equals(answer.getLong("userId")) ? answer : null;
    if (answer.getJsonArray("grants") == null) return null;
    for (Object o : answer.getJsonArray("grants")) {
      if (o instanceof JsonObject g && Long.valueOf(user).equals(g.getLong("userId"))) return g;
    }
    return null;
  }
}
