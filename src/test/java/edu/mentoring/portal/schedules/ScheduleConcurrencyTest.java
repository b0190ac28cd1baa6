package edu.mentoring.portal.schedules;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static edu.mentoring.portal.schedules.Sessions.create;
import static edu.mentoring.portal.schedules.Sessions.futureSlot;
import static edu.mentoring.portal.schedules.Sessions.group;
import static edu.mentoring.portal.schedules.Sessions.oneToOne;
import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Schedules: no double-booking under concurrency, and a failed command leaves no trace")
class ScheduleConcurrencyTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;
  private static WebClient client;

  @BeforeAll
  static void start() {
    // one connection per request, so all of them are really in flight at once
    client = WebClient.create(portal.node().vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(portal.port()), new PoolOptions().setHttp1MaxSize(64));
  }

  @AfterAll
  static void stop() {
    client.close();
  }

  /** Sends every request before awaiting any answer; returns the answers in request order. */
  private static List<HttpResponse<Buffer>> concurrently(List<String> tokens, List<JsonObject> bodies) {
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      sent.add(client.post("/api/schedules").putHeader("Authorization", "Bearer " + tokens.get(i))
        .sendJsonObject(bodies.get(i)));
    }
    Future.join(sent).await();
    return sent.stream().map(Future::result).toList();
  }

  private static String errorCode(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  private static String everything() {
    return "SELECT (SELECT count(*) FROM schedules) || '/' || (SELECT count(*) FROM schedule_attendees)"
      + " || '/' || (SELECT count(*) FROM audit_logs WHERE entity_type = 'schedule')"
      + " || '/' || (SELECT count(*) FROM activity_feed)"
      + " || '/' || (SELECT count(*) FROM notifications)";
  }

  /** The counts, once what follows the commits before (numbering, notifications, rolls) has happened. */
  private static String snapshot() {
    portal.database().awaitSettled();
    try (var c = portal.database().jdbc(); var s = c.createStatement(); var rs = s.executeQuery(everything())) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("50 concurrent overlapping creates for one mentor: exactly one 201, 49 × 409 schedule_conflict")
  void fiftyRacingCreates() {
    OffsetDateTime t = futureSlot();
    // every request overlaps every other one (they all cover t+60 .. t+61 minutes); a mix of students
    List<JsonObject> bodies = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long student = i % 2 == 0 ? school.studentA.id() : school.cohortStudent.id();
      bodies.add(oneToOne(student, t.plusMinutes(i), 61 + i).put("title", "Race " + i));
      tokens.add(school.mentorA.token());
    }
    List<HttpResponse<Buffer>> answers = concurrently(tokens, bodies);
    long created = answers.stream().filter(r -> r.statusCode() == 201).count();
    long conflicts = answers.stream().filter(r -> r.statusCode() == 409 && "schedule_conflict".equals(errorCode(r)))
      .count();
    assertEquals(1, created, () -> answers.stream().map(r -> r.statusCode() + " " + r.bodyAsString()).toList()
      .toString());
    assertEquals(49, conflicts);
    assertEquals(1, portal.database().count("SELECT count(*) FROM schedules WHERE title LIKE 'Race %'"));
    assertEquals(1, portal.database().count("SELECT count(*) FROM audit_logs a JOIN schedules s"
      + " ON s.id = a.entity_id WHERE a.entity_type = 'schedule' AND s.title LIKE 'Race %'"));
    assertEquals(1, portal.database().count("SELECT count(*) FROM activity_feed"
      + " WHERE event_type = 'schedule:created' AND data->'schedule'->>'title' LIKE 'Race %'"));
  }

  @Test
  @DisplayName("a student cannot be double-booked by two mentors: a cohort session by mentorA vs a 1:1 by mentorB → 409")
  void studentDoubleBookedByTwoMentors() {
    // a cohort of its own for mentorA, whose one member is also assigned to mentorB
    long cohort = api.post("/api/cohorts", school.admin.token(), new JsonObject().put("name", "Twice " + System.nanoTime())
      .put("mentorIds", new JsonArray().add(school.mentorA.id()))).json().getLong("id");
    School.Member both = school.register("both-" + System.nanoTime() + "@school.test", "Both", cohort);
    school.assign(both, school.mentorB);

    OffsetDateTime t = futureSlot();
    create(api, school.mentorA.token(), group(cohort, t, 60));
    String before = snapshot();
    Api.Response r = api.post("/api/schedules", school.mentorB.token(), oneToOne(both.id(), t.plusMinutes(30), 60));
    assertEquals(409, r.status(), r::toString);
    assertEquals("schedule_conflict", r.errorCode());
    assertEquals(before, snapshot());

    // and racing: the two mentors book the same student at the same moment; exactly one wins
    OffsetDateTime u = futureSlot();
    List<HttpResponse<Buffer>> answers = concurrently(
      List.of(school.mentorA.token(), school.mentorB.token()),
      List.of(group(cohort, u, 60), oneToOne(both.id(), u, 60)));
    assertEquals(1, answers.stream().filter(a -> a.statusCode() == 201).count());
    assertEquals(1, answers.stream().filter(a -> a.statusCode() == 409 && "schedule_conflict".equals(errorCode(a)))
      .count());
  }

  @Test
  @DisplayName("a group session failing halfway (one member already booked) leaves no schedule, audit row, event or notification")
  void failingHalfwayLeavesNothing() {
    long cohort = api.post("/api/cohorts", school.admin.token(), new JsonObject().put("name", "Half " + System.nanoTime())
      .put("mentorIds", new JsonArray().add(school.mentorA.id()))).json().getLong("id");
    School.Member free = school.register("free-" + System.nanoTime() + "@school.test", "Free", cohort);
    School.Member busy = school.register("busy-" + System.nanoTime() + "@school.test", "Busy", cohort);
    school.assign(busy, school.mentorB);
    OffsetDateTime t = futureSlot();
    create(api, school.mentorB.token(), oneToOne(busy.id(), t, 60));
    String before = snapshot();

    // the schedules row is inserted, then the attendees insert hits busy's session: the whole command rolls back
    Api.Response r = api.post("/api/schedules", school.mentorA.token(), group(cohort, t.plusMinutes(15), 60)
      .put("title", "Halfway"));
    assertEquals(409, r.status(), r::toString);
    assertEquals("schedule_conflict", r.errorCode());
    assertEquals(before, snapshot());
    assertEquals(0, portal.database().count("SELECT count(*) FROM schedules WHERE title = 'Halfway'"));
    assertEquals(0, portal.database().count("SELECT count(*) FROM audit_logs WHERE new_value->>'title' = 'Halfway'"));
    assertEquals(0, portal.database().count("SELECT count(*) FROM activity_feed WHERE data::text LIKE '%Halfway%'"));
    assertEquals(0, portal.database().count("SELECT count(*) FROM notifications WHERE user_id = " + free.id()
      + " AND title LIKE '%Halfway%'"));
    // the free member's time was not taken either
    create(api, school.mentorA.token(), oneToOne(free.id(), t.plusMinutes(15), 60));
  }

  @Test
  @DisplayName("an edit racing a create for the same slot: exactly one of them gets the time")
  void editRacingCreate() {
    OffsetDateTime t = futureSlot();
    long moving = create(api, school.mentorA.token(), oneToOne(school.studentA.id(), t, 60)).getLong("id");
    OffsetDateTime target = t.plusHours(4);
    Future<HttpResponse<Buffer>> edit = client.put("/api/schedules/" + moving)
      .putHeader("Authorization", "Bearer " + school.mentorA.token())
      .sendJsonObject(new JsonObject().put("startTime", target.toString()).put("endTime", target.plusHours(1).toString()));
    Future<HttpResponse<Buffer>> fresh = client.post("/api/schedules")
      .putHeader("Authorization", "Bearer " + school.mentorA.token())
      .sendJsonObject(oneToOne(school.cohortStudent.id(), target.plusMinutes(30), 60));
    Future.join(edit, fresh).await();
    int ok = (edit.result().statusCode() == 200 ? 1 : 0) + (fresh.result().statusCode() == 201 ? 1 : 0);
    assertEquals(1, ok, edit.result().bodyAsString() + " / " + fresh.result().bodyAsString());
    assertEquals(1, portal.database().count("SELECT count(*) FROM schedules WHERE mentor_id = " + school.mentorA.id()
      + " AND status <> 'cancelled' AND tstzrange(start_time, end_time) && tstzrange('" + target + "', '"
      + target.plusHours(2) + "')"));
  }
}
