package edu.mentoring.portal.schedules;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Conflicts that help: a refused time names the clash, for whom, the fields, and the next free time")
class ScheduleConflictsTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static final OffsetDateTime DAY = OffsetDateTime.of(2031, 3, 4, 9, 0, 0, 0, ZoneOffset.UTC);

  @Test
  @DisplayName("a mentor's clash with their own session names it and its time, marks both fields, and offers the next free hour")
  void ownClashIsNamed() {
    create(school.mentorA, new JsonObject().put("studentId", school.studentA.id()), "Weekly check-in", DAY.plusHours(1), 60);
    create(school.mentorA, new JsonObject().put("studentId", school.studentA.id()), "Code review", DAY.plusHours(2), 30);
    long before = portal.database().count("SELECT count(*) FROM schedules");
    Api.Response r = api.post("/api/schedules", school.mentorA.token(), body(new JsonObject()
      .put("studentId", school.studentA.id()), "Clashing", DAY.plusHours(1).plusMinutes(30), 60));
    assertEquals(409, r.status(), r::toString);
    JsonObject error = r.json().getJsonObject("error");
    assertEquals("schedule_conflict", error.getString("code"));
    String message = error.getString("message");
    assertTrue(message.contains("“Weekly check-in”") && message.contains("Tue 4 Mar 10:00–11:00 UTC"), message);
    assertTrue(message.contains("“Code review”"), message);
    assertTrue(message.contains("next time free for everyone is Tue 4 Mar 11:30–12:30 UTC"), message);
    assertFalse(message.contains("startTime"), "no raw field names: " + message);
    JsonArray details = error.getJsonArray("details");
    assertEquals("startTime", details.getJsonObject(0).getString("field"));
    assertEquals("endTime", details.getJsonObject(1).getString("field"));
    JsonObject slot = details.getJsonObject(0).getJsonObject("nextFreeSlot");
    assertEquals("2031-03-04T11:30:00Z", slot.getString("startTime"));
    assertEquals("2031-03-04T12:30:00Z", slot.getString("endTime"));
    JsonArray conflicts = details.getJsonObject(0).getJsonArray("conflicts");
    assertEquals(2, conflicts.size());
    assertEquals("Weekly check-in", conflicts.getJsonObject(0).getString("title"));
    assertEquals(new JsonArray().add("Student A"), conflicts.getJsonObject(0).getJsonArray("students"));
    assertEquals(before, portal.database().count("SELECT count(*) FROM schedules"), "nothing written");

    // the offered time is indeed free
    create(school.mentorA, new JsonObject().put("studentId", school.studentA.id()), "Clashing",
      OffsetDateTime.parse(slot.getString("startTime")), 60);
  }

  @Test
  @DisplayName("a clash with another mentor's session of a student says who is busy and when, never that session's title")
  void othersSessionStaysPrivate() {
    School.Member both = school.register("both-" + System.nanoTime() + "@school.test", "Shared Student", school.cohortId);
    school.assign(both, school.mentorB);
    OffsetDateTime at = DAY.plusDays(1);
    create(school.mentorB, new JsonObject().put("studentId", both.id()), "Private matter", at, 60);
    Api.Response r = api.post("/api/schedules", school.mentorA.token(), body(new JsonObject()
      .put("isGroupSession", true).put("cohortId", school.cohortId), "Cohort hour", at, 60));
    assertEquals(409, r.status(), r::toString);
    JsonObject error = r.json().getJsonObject("error");
    String message = error.getString("message");
    assertTrue(message.contains("Shared Student has another session (Wed 5 Mar 09:00–10:00 UTC)"), message);
    assertFalse(message.contains("Private matter"), message);
    JsonObject conflict = error.getJsonArray("details").getJsonObject(0).getJsonArray("conflicts").getJsonObject(0);
    assertFalse(conflict.containsKey("title"));
    assertFalse(conflict.containsKey("scheduleId"));
    assertEquals("2031-03-05T10:00:00Z", error.getJsonArray("details").getJsonObject(0)
      .getJsonObject("nextFreeSlot").getString("startTime"));

    // the admin, who sees every session, reads its title
    Api.Response asAdmin = api.post("/api/schedules", school.admin.token(), body(new JsonObject()
      .put("isGroupSession", true).put("cohortId", school.cohortId).put("mentorId", school.mentorA.id()), "Cohort hour", at, 60));
    assertEquals(409, asAdmin.status(), asAdmin::toString);
    assertTrue(asAdmin.json().getJsonObject("error").getString("message").contains("“Private matter”"), asAdmin::toString);
  }

  @Test
  @DisplayName("moving a session onto another (PUT) is explained the same way, against the session's own people")
  void moveIsExplained() {
    OffsetDateTime at = DAY.plusDays(2);
    create(school.mentorA, new JsonObject().put("studentId", school.studentA.id()), "Fixed one", at, 60);
    long moving = create(school.mentorA, new JsonObject().put("studentId", school.studentA.id()), "Moving one",
      at.plusHours(3), 60);
    Api.Response r = api.put("/api/schedules/" + moving, school.mentorA.token(), new JsonObject()
      .put("startTime", at.plusMinutes(15).toString()).put("endTime", at.plusMinutes(75).toString()));
    assertEquals(409, r.status(), r::toString);
    String message = r.json().getJsonObject("error").getString("message");
    assertTrue(message.contains("you have “Fixed one”"), message);
    assertFalse(message.contains("Moving one"), "a session never clashes with itself: " + message);
    JsonObject slot = r.json().getJsonObject("error").getJsonArray("details").getJsonObject(0).getJsonObject("nextFreeSlot");
    assertNotNull(slot);
    assertEquals(at.plusHours(1).toInstant().toString(), slot.getString("startTime"));
  }

  private static long create(School.Member mentor, JsonObject audience, String title, OffsetDateTime start, int minutes) {
    Api.Response r = api.post("/api/schedules", mentor.token(), body(audience, title, start, minutes));
    assertEquals(201, r.status(), r::toString);
    return r.json().getLong("id");
  }

  private static JsonObject body(JsonObject audience, String title, OffsetDateTime start, int minutes) {
    return audience.copy().put("title", title).put("startTime", start.toString())
      .put("endTime", start.plusMinutes(minutes).toString());
  }
}
