package edu.mentoring.portal.idempotency;

import edu.mentoring.portal.accounts.AccountAddresses;
import edu.mentoring.portal.common.Actor;
import edu.mentoring.portal.common.BusRequest;
import edu.mentoring.portal.common.Role;
import edu.mentoring.portal.entries.EntryAddresses;
import edu.mentoring.portal.schedules.ScheduleAddresses;
import edu.mentoring.portal.tasks.TaskAddresses;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Idempotency-Key: a retried POST answers once and creates once")
class IdempotencyTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static School school;
  private static WebClient client;
  private static int day = 0;

  @BeforeAll
  static void start() {
    client = WebClient.create(portal.node().vertx(),
      new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(portal.port()));
  }


  /** A one-hour session on a day no other test uses, so sessions never overlap by accident. */
  private static JsonObject session(long studentId, String title) {
    day++;
    String date = String.format("2031-%02d-%02d", 1 + day / 28, 1 + day % 28);
    return new JsonObject().put("studentId", studentId).put("title", title)
      .put("startTime", date + "T10:00:00+01:00").put("endTime", date + "T11:00:00+01:00");
  }

  private static Future<HttpResponse<Buffer>> sendAsync(String token, String key, JsonObject body) {
    var req = client.post("/api/schedules").putHeader("Authorization", "Bearer " + token)
      .putHeader("Content-Type", "application/json");
    if (key != null) req.putHeader(IdempotencyAddresses.HEADER, key);
    return req.sendBuffer(body.toBuffer());
  }

  private static HttpResponse<Buffer> post(String token, String key, JsonObject body) {
    return sendAsync(token, key, body).await();
  }

  private static String errorCode(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  private static long schedulesTitled(String title) {
    return portal.database().count("SELECT count(*) FROM schedules WHERE title = '" + title + "'");
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  @Test
  @DisplayName("a retried POST /api/schedules with the same key returns the same 201 body and creates one session")
  void retryReturnsFirstAnswer() {
    String key = key();
    JsonObject body = session(school.studentA.id(), "Retry " + key);
    HttpResponse<Buffer> first = post(school.mentorA.token(), key, body);
    HttpResponse<Buffer> second = post(school.mentorA.token(), key, body);

    assertEquals(201, first.statusCode(), first::bodyAsString);
    assertEquals(201, second.statusCode(), second::bodyAsString);
    assertEquals(first.bodyAsJsonObject(), second.bodyAsJsonObject());
    assertNull(first.getHeader("Idempotent-Replayed"));
    assertEquals("true", second.getHeader("Idempotent-Replayed"));
    assertEquals(1, schedulesTitled("Retry " + key));
    assertEquals(1, portal.database().count("SELECT count(*) FROM audit_logs WHERE entity_type = 'schedule' "
      + "AND action = 'create' AND entity_id = " + first.bodyAsJsonObject().getLong("id")));
  }

  @Test
  @DisplayName("the same key with a different body is refused with 422 idempotency_mismatch and creates nothing")
  void sameKeyDifferentBody() {
    String key = key();
    JsonObject body = session(school.studentA.id(), "Mismatch " + key);
    assertEquals(201, post(school.mentorA.token(), key, body).statusCode());

    HttpResponse<Buffer> other = post(school.mentorA.token(), key, body.copy().put("title", "Other " + key));
    assertEquals(422, other.statusCode(), other::bodyAsString);
    assertEquals("idempotency_mismatch", errorCode(other));
    assertEquals(0, schedulesTitled("Other " + key));
    assertEquals(1, schedulesTitled("Mismatch " + key));
  }

  @Test
  @DisplayName("the same key used by another user is independent of the first user's")
  void keysArePerUser() {
    String key = key();
    HttpResponse<Buffer> a = post(school.mentorA.token(), key, session(school.studentA.id(), "Mine " + key));
    HttpResponse<Buffer> b = post(school.mentorB.token(), key, session(school.studentB.id(), "Yours " + key));

    assertEquals(201, a.statusCode(), a::bodyAsString);
    assertEquals(201, b.statusCode(), b::bodyAsString);
    assertEquals(school.mentorB.id(), b.bodyAsJsonObject().getLong("mentorId"));
    assertEquals(1, schedulesTitled("Mine " + key));
    assertEquals(1, schedulesTitled("Yours " + key));
  }

  @Test
  @DisplayName("without the header a repeated POST runs again as usual (here: the second session overlaps → 409)")
  void noHeaderNormalBehaviour() {
    String title = "Plain " + key();
    JsonObject body = session(school.studentA.id(), title);
    HttpResponse<Buffer> first = post(school.mentorA.token(), null, body);
    HttpResponse<Buffer> second = post(school.mentorA.token(), null, body);

    assertEquals(201, first.statusCode(), first::bodyAsString);
    assertEquals(409, second.statusCode(), second::bodyAsString);
    assertEquals("schedule_conflict", errorCode(second));
    assertEquals(1, schedulesTitled(title));
  }

  @Test
  @DisplayName("a failed request keeps nothing: the same key may be retried with a corrected body")
  void failuresAreNotStored() {
    String key = key();
    JsonObject body = session(school.studentA.id(), "Fixed " + key);
    HttpResponse<Buffer> bad = post(school.mentorA.token(), key, body.copy().put("endTime", "2031-01-01T10:00:00"));
    assertEquals(400, bad.statusCode(), bad::bodyAsString);
    assertEquals(0, portal.database().count("SELECT count(*) FROM idempotency_keys WHERE key = '" + key + "'"));

    HttpResponse<Buffer> good = post(school.mentorA.token(), key, body);
    assertEquals(201, good.statusCode(), good::bodyAsString);
    assertEquals(1, schedulesTitled("Fixed " + key));
  }

  @Test
  @DisplayName("while the first request with a key is in flight, a duplicate gets 409 conflict \"request in progress\"")
  void pendingKeyAnswersInProgress() throws Exception {
    String key = key();
    JsonObject body = session(school.studentA.id(), "Pending " + key);
    // the reservation a first request leaves while it runs
    try (var c = portal.database().jdbc(); PreparedStatement s = c.prepareStatement(
      "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response) VALUES (?, ?, ?, 0, '{}')")) {
      s.setLong(1, school.mentorA.id());
      s.setString(2, key);
      s.setString(3, IdempotentCall.hash("POST", "/api/schedules", body.toBuffer()));
      s.executeUpdate();
    }
    HttpResponse<Buffer> duplicate = post(school.mentorA.token(), key, body);
    assertEquals(409, duplicate.statusCode(), duplicate::bodyAsString);
    assertEquals("conflict", errorCode(duplicate));
    assertTrue(duplicate.bodyAsJsonObject().getJsonObject("error").getString("message").contains("in progress"));
    assertEquals(0, schedulesTitled("Pending " + key));
  }

  @Test
  @DisplayName("concurrent duplicates with one key create exactly one session; the others replay it or are told to wait")
  void concurrentDuplicates() {
    String key = key();
    JsonObject body = session(school.studentA.id(), "Race " + key);
    List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
    for (int i = 0; i < 8; i++) sends.add(sendAsync(school.mentorA.token(), key, body));
    Future.join(sends).await();

    int created = 0;
    for (Future<HttpResponse<Buffer>> f : sends) {
      HttpResponse<Buffer> r = f.result();
      if (r.statusCode() == 201) {
        created++;
      } else {
        assertEquals(409, r.statusCode(), r::bodyAsString);
        assertEquals("conflict", errorCode(r));
      }
    }
    assertTrue(created >= 1, "at least the first succeeds");
    assertEquals(1, schedulesTitled("Race " + key));
  }

  @Test
  @DisplayName("a key longer than 200 characters is refused with 400 validation_failed")
  void keyTooLong() {
    String title = "Long key " + key();
    HttpResponse<Buffer> r = post(school.mentorA.token(), "k".repeat(201), session(school.studentA.id(), title));
    assertEquals(400, r.statusCode(), r::bodyAsString);
    assertEquals("validation_failed", errorCode(r));
    assertEquals(0, schedulesTitled(title));
  }

  /** One POST route and what it creates, for the lost-answer test. */
  private record Command(String path, String address, School.Member caller, Role role, JsonObject params,
                         JsonObject body, String created) {
  }

  /**
   * The request exactly as the HTTP verticle forwards it under a key, sent straight to the store; its reply is then
   * dropped, as when the bus times out or the node dies between the commit and the answer.
   */
  private static JsonObject runAndLoseAnswer(Command c, String key) {
    JsonObject message = BusRequest.message(new Actor(c.caller().id(), c.role()), c.params(), c.body());
    message.put(BusRequest.CLIENT, new JsonObject().put("address", "127.0.0.1").put(IdempotentCommand.FIELD,
      IdempotentCall.keyed(key, IdempotentCall.hash("POST", c.path(), c.body().toBuffer()), 201)));
    return portal.node().vertx().eventBus().<JsonObject>request(c.address(), message).await().body();
  }

  @Test
  @DisplayName("an answer lost after the commit (bus timeout, node death): the retry with the key replays it and runs nothing again — sessions, tasks, entries, comments, users")
  void lostAnswerIsReplayed() {
    String tag = key();
    long entryId = portal.api().post("/api/entries", school.studentA.token(), new JsonObject()
      .put("title", "Commented " + tag).put("content", "to comment on")).json().getLong("id");
    List<Command> commands = List.of(
      new Command("/api/schedules", ScheduleAddresses.CREATE, school.mentorA, Role.MENTOR, new JsonObject(),
        session(school.studentA.id(), "Lost " + tag), "SELECT count(*) FROM schedules WHERE title = 'Lost " + tag + "'"),
      new Command("/api/tasks", TaskAddresses.CREATE, school.mentorA, Role.MENTOR, new JsonObject(),
        new JsonObject().put("studentId", school.studentA.id()).put("title", "Lost " + tag),
        "SELECT count(*) FROM tasks WHERE title = 'Lost " + tag + "'"),
      new Command("/api/entries", EntryAddresses.CREATE, school.studentA, Role.STUDENT, new JsonObject(),
        new JsonObject().put("title", "Lost " + tag).put("content", "written once"),
        "SELECT count(*) FROM learning_entries WHERE title = 'Lost " + tag + "'"),
      new Command("/api/entries/" + entryId + "/comments", EntryAddresses.ADD_COMMENT, school.mentorA, Role.MENTOR,
        new JsonObject().put("id", Long.toString(entryId)), new JsonObject().put("body", "Lost " + tag),
        "SELECT count(*) FROM entry_comments WHERE body = 'Lost " + tag + "'"),
      new Command("/api/users", AccountAddresses.CREATE_USER, school.admin, Role.ADMIN, new JsonObject(),
        new JsonObject().put("email", "lost-" + tag + "@school.test").put("password", "password-123")
          .put("name", "Lost").put("role", "mentor"),
        "SELECT count(*) FROM users WHERE email = 'lost-" + tag + "@school.test'"));
    for (Command c : commands) {
      String key = key();
      JsonObject lost = runAndLoseAnswer(c, key);
      assertEquals(1, portal.database().count(c.created()), c.path() + ": the first attempt committed");
      HttpResponse<Buffer> retry = client.post(c.path()).putHeader("Authorization", "Bearer " + c.caller().token())
        .putHeader("Content-Type", "application/json").putHeader(IdempotencyAddresses.HEADER, key)
        .sendBuffer(c.body().toBuffer()).await();
      assertEquals(201, retry.statusCode(), () -> c.path() + ": " + retry.bodyAsString());
      assertEquals("true", retry.getHeader("Idempotent-Replayed"), c.path());
      assertEquals(lost.getLong("id"), retry.bodyAsJsonObject().getLong("id"), c.path());
      assertEquals(1, portal.database().count(c.created()), c.path() + ": the retry ran the command again");
    }
  }

  @Test
  @DisplayName("release frees only the reservation of the very same request: another request's hash leaves the key alone")
  void releaseChecksTheHash() throws Exception {
    String key = key();
    try (var c = portal.database().jdbc(); PreparedStatement s = c.prepareStatement(
      "INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response) VALUES (?, ?, 'hash-a', 0, '{}')")) {
      s.setLong(1, school.mentorA.id());
      s.setString(2, key);
      s.executeUpdate();
    }
    Actor mentor = new Actor(school.mentorA.id(), Role.MENTOR);
    JsonObject other = new JsonObject().put("userId", school.mentorA.id()).put("key", key).put("requestHash", "hash-b");
    portal.node().vertx().eventBus().request(IdempotencyAddresses.RELEASE,
      BusRequest.message(mentor, new JsonObject(), other)).await();
    String where = " FROM idempotency_keys WHERE key = '" + key + "'";
    assertEquals(1, portal.database().count("SELECT count(*)" + where));
    portal.node().vertx().eventBus().request(IdempotencyAddresses.RELEASE,
      BusRequest.message(mentor, new JsonObject(), other.copy().put("requestHash", "hash-a"))).await();
    assertEquals(0, portal.database().count("SELECT count(*)" + where));
  }
}
