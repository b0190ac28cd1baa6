package edu.mentoring.portal.events;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /api/activity and GET /api/events return exactly the events of the rooms the caller may join. The fixture
 * writes a known set of student:registered and schedule:created events, then looks at them through every role.
 */
@DisplayName("Activity feed and recovery: each caller sees exactly the events of their rooms")
class ActivityFeedTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static long registeredInCohort;   // student:registered → mentor:{mentorA}, role:admin
  private static long registeredAlone;      // no mentor yet → every mentor, role:admin
  private static long sessionOfStudentA;    // schedule:created → student:{A}, mentor:{mentorA}
  private static long sessionOfStudentB;    // schedule:created → student:{B}, mentor:{mentorB}
  private static long cohortSession;        // schedule:created → cohort:{c}, mentor:{mentorA}

  @BeforeAll
  static void start() {
    registeredInCohort = school.register("joins-cohort@school.test", "Joins Cohort", school.cohortId).id();
    registeredAlone = school.register("joins-alone@school.test", "Joins Alone", null).id();
    sessionOfStudentA = session(school.mentorA, new JsonObject().put("studentId", school.studentA.id()), 1);
    sessionOfStudentB = session(school.mentorB, new JsonObject().put("studentId", school.studentB.id()), 2);
    cohortSession = session(school.mentorA, new JsonObject().put("isGroupSession", true)
      .put("cohortId", school.cohortId), 3);
    awaitVisible(school.admin.token(), "schedule:created", cohortSession);
  }


  /** Creates a one-hour session on day {@code day} of January 2027 and returns its id. */
  static long session(School.Member mentor, JsonObject audience, int day) {
    JsonObject body = audience.copy().put("title", "Session " + day)
      .put("startTime", String.format("2027-01-%02dT10:00:00+01:00", day))
      .put("endTime", String.format("2027-01-%02dT11:00:00+01:00", day));
    Api.Response r = api.post("/api/schedules", mentor.token(), body);
    assertEquals(201, r.status(), r::toString);
    return r.json().getLong("id");
  }

  /** Polls until the event is visible to {@code token}. */
  static void awaitVisible(String token, String type, long targetId) {
    for (int i = 0; i < 100; i++) {
      if (targets(allEvents(token), type).contains(targetId)) return;
      pause();
    }
    throw new AssertionError(type + " " + targetId + " never became visible");
  }

  /** Every event of /api/events, paging with after and hasMore. */
  static List<JsonObject> allEvents(String token) {
    List<JsonObject> all = new ArrayList<>();
    long after = 0;
    while (true) {
      Api.Response r = api.get("/api/events?after=" + after + "&limit=3", token);
      assertEquals(200, r.status(), r::toString);
      r.items().forEach(o -> all.add((JsonObject) o));
      if (!r.json().getBoolean("hasMore")) return all;
      after = all.get(all.size() - 1).getLong("id");
    }
  }

  /** Every event of /api/activity, paging with before and nextBefore. */
  static List<JsonObject> allActivity(String token, String query) {
    List<JsonObject> all = new ArrayList<>();
    String before = "";
    for (int pages = 0; pages < 100; pages++) {
      Api.Response r = api.get("/api/activity?limit=2" + query + before, token);
      assertEquals(200, r.status(), r::toString);
      r.items().forEach(o -> all.add((JsonObject) o));
      Long next = r.json().getLong("nextBefore");
      if (next == null) return all;
      before = "&before=" + next;
    }
    throw new AssertionError("activity paging never ended");
  }

  static Set<Long> targets(List<JsonObject> events, String type) {
    Set<Long> ids = new TreeSet<>();
    for (JsonObject e : events) {
      if (type.equals(e.getString("type"))) ids.add(e.getJsonObject("target").getLong("id"));
    }
    return ids;
  }

  /** Checks both routes give the caller exactly these sessions and registrations among the fixture's. */
  static void assertSees(School.Member who, Set<Long> sessions, Set<Long> registrations) {
    Set<Long> fixtureSessions = Set.of(sessionOfStudentA, sessionOfStudentB, cohortSession);
    Set<Long> fixtureRegistrations = Set.of(registeredInCohort, registeredAlone);
    for (List<JsonObject> events : List.of(allEvents(who.token()), allActivity(who.token(), ""))) {
      Set<Long> seenSessions = targets(events, "schedule:created");
      seenSessions.retainAll(fixtureSessions);
      assertEquals(new TreeSet<>(sessions), seenSessions, "sessions seen by " + who.email());
      Set<Long> seenRegistrations = targets(events, "student:registered");
      seenRegistrations.retainAll(fixtureRegistrations);
      assertEquals(new TreeSet<>(registrations), seenRegistrations, "registrations seen by " + who.email());
    }
  }

  @Test
  @DisplayName("studentA sees their own session, not studentB's nor the cohort's, and no registrations")
  void studentA() {
    assertSees(school.studentA, Set.of(sessionOfStudentA), Set.of());
  }

  @Test
  @DisplayName("studentB sees only their own session")
  void studentB() {
    assertSees(school.studentB, Set.of(sessionOfStudentB), Set.of());
  }

  @Test
  @DisplayName("a cohort student sees the cohort's group session and no 1:1 session of others")
  void cohortStudent() {
    assertSees(school.cohortStudent, Set.of(cohortSession), Set.of());
  }

  @Test
  @DisplayName("mentorA sees their students' sessions, the cohort session, and the registrations meant for them")
  void mentorA() {
    assertSees(school.mentorA, Set.of(sessionOfStudentA, cohortSession), Set.of(registeredInCohort, registeredAlone));
  }

  @Test
  @DisplayName("mentorB does not see mentorA's students' events, only their own student's and the unassigned registration")
  void mentorB() {
    assertSees(school.mentorB, Set.of(sessionOfStudentB), Set.of(registeredAlone));
  }

  @Test
  @DisplayName("an admin sees every event")
  void admin() {
    assertSees(school.admin, Set.of(sessionOfStudentA, sessionOfStudentB, cohortSession),
      Set.of(registeredInCohort, registeredAlone));
    List<JsonObject> all = allEvents(school.admin.token());
    assertEquals(portal.database().count("SELECT count(*) FROM activity_feed"), all.size());
  }

  @Test
  @DisplayName("/api/activity is newest first, pages with before/nextBefore without gaps or repeats, and mirrors /api/events less its relationship changes")
  void activityOrderAndPaging() {
    for (School.Member who : List.of(school.admin, school.mentorA, school.studentA)) {
      List<JsonObject> activity = allActivity(who.token(), "");
      List<JsonObject> everything = allEvents(who.token());
      List<JsonObject> events = everything.stream()
        .filter(e -> !EventTypes.RELATIONSHIPS_CHANGED.equals(e.getString("type"))).toList();
      // the recovery stream keeps them (a browser re-reads its rooms), the feed leaves them out
      if (who != school.studentA) assertTrue(events.size() < everything.size(), who.email());
      for (int i = 1; i < activity.size(); i++) {
        assertTrue(activity.get(i - 1).getLong("id") > activity.get(i).getLong("id"), "newest first");
      }
      List<Long> ascending = new ArrayList<>(activity.stream().map(e -> e.getLong("id")).toList());
      java.util.Collections.reverse(ascending);
      assertEquals(events.stream().map(e -> e.getLong("id")).toList(), ascending, who.email());
    }
    // a short last page carries no cursor: the client stops
    Api.Response first = api.get("/api/activity?limit=200", school.admin.token());
    assertNull(first.json().getLong("nextBefore"));
    // a full page whose end is the end of the feed carries none either: no empty page to fetch
    int total = first.items().size();
    assertNull(api.get("/api/activity?limit=" + total, school.admin.token()).json().getLong("nextBefore"));
    assertEquals(total - 1, api.get("/api/activity?limit=" + (total - 1), school.admin.token()).items().size());
  }

  @Test
  @DisplayName("/api/activity?type= returns only that type, still only the caller's events")
  void typeFilter() {
    List<JsonObject> sessions = allActivity(school.mentorA.token(), "&type=schedule:created");
    assertFalse(sessions.isEmpty());
    sessions.forEach(e -> assertEquals("schedule:created", e.getString("type")));
    assertEquals(Set.of(sessionOfStudentA, cohortSession), targets(sessions, "schedule:created"));
    List<JsonObject> registrations = allActivity(school.studentA.token(), "&type=student:registered");
    assertTrue(registrations.isEmpty(), registrations::toString);
    List<JsonObject> adminRegistrations = allActivity(school.admin.token(), "&type=student:registered");
    adminRegistrations.forEach(e -> assertEquals("student:registered", e.getString("type")));
    assertTrue(targets(adminRegistrations, "student:registered").containsAll(Set.of(registeredInCohort, registeredAlone)));
  }

  @Test
  @DisplayName("/api/events is in id order from after, and pages with hasMore without gaps or repeats")
  void eventsPaging() {
    List<JsonObject> all = allEvents(school.admin.token());
    for (int i = 1; i < all.size(); i++) {
      assertTrue(all.get(i).getLong("id") > all.get(i - 1).getLong("id"));
    }
    long middle = all.get(all.size() / 2).getLong("id");
    JsonArray rest = api.get("/api/events?after=" + middle + "&limit=500", school.admin.token()).items();
    assertEquals(all.size() - all.size() / 2 - 1, rest.size());
    assertTrue(rest.getJsonObject(0).getLong("id") > middle);
    Api.Response exact = api.get("/api/events?after=0&limit=" + all.size(), school.admin.token());
    assertEquals(all.size(), exact.items().size());
    assertFalse(exact.json().getBoolean("hasMore"));
    // the envelope of the contract
    JsonObject e = all.get(all.size() - 1);
    assertEquals("schedule:created", e.getString("type"));
    assertEquals("schedule", e.getJsonObject("target").getString("type"));
    assertEquals(school.mentorA.id(), e.getJsonObject("actor").getLong("id"));
    assertEquals("mentor", e.getJsonObject("actor").getString("role"));
    assertTrue(e.getString("occurredAt").endsWith("Z"));
    assertEquals(cohortSession, e.getJsonObject("data").getJsonObject("schedule").getLong("id"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/activity?type=bogus", "/api/activity?type=metrics:updated", "/api/activity?limit=0",
    "/api/activity?limit=201", "/api/activity?before=abc", "/api/activity?before=0", "/api/events?after=abc",
    "/api/events?after=-1", "/api/events?limit=0", "/api/events?limit=501"})
  @DisplayName("bad query parameters are a 400 validation_failed, never a 500")
  void badParameters(String path) {
    Api.Response r = api.get(path, school.studentA.token());
    assertEquals(400, r.status(), r::toString);
    assertEquals("validation_failed", r.errorCode());
  }

  @Test
  @DisplayName("without a token both routes answer 401")
  void unauthenticated() {
    assertEquals(401, api.get("/api/activity", null).status());
    assertEquals(401, api.get("/api/events", null).status());
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
