package edu.mentoring.portal.schedules;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.OffsetDateTime;
import java.util.UUID;

import static edu.mentoring.portal.schedules.Sessions.create;
import static edu.mentoring.portal.schedules.Sessions.futureSlot;
import static edu.mentoring.portal.schedules.Sessions.group;
import static edu.mentoring.portal.schedules.Sessions.oneToOne;
import static edu.mentoring.portal.schedules.Sessions.pastSlot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Cohort membership and group sessions: joining attends the sessions to come, leaving stops attending them")
class CohortMembershipTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static Api.Response moveToCohort(School.Member student, Long cohortId) {
    JsonObject body = new JsonObject();
    if (cohortId == null) body.putNull("cohortId");
    else body.put("cohortId", cohortId);
    return api.put("/api/students/" + student.id() + "/cohort", school.admin.token(), body);
  }

  private static int status(School.Member student, long scheduleId) {
    return api.get("/api/schedules/" + scheduleId, student.token()).status();
  }

  private static boolean attends(long studentId, long scheduleId) {
    return portal.database().count("SELECT count(*) FROM schedule_attendees WHERE schedule_id = " + scheduleId
      + " AND student_id = " + studentId) == 1;
  }

  private static School.Member newStudent(Long cohortId) {
    return school.register("member-" + UUID.randomUUID().toString().substring(0, 8) + "@school.test", "Member", cohortId);
  }

  @Test
  @DisplayName("a student put into a cohort attends its sessions still to come, not past ones, and none that would double-book them")
  void joining() {
    long upcoming = create(api, school.mentorA.token(), group(school.cohortId, futureSlot(), 60)).getLong("id");
    long past = create(api, school.mentorA.token(), group(school.cohortId, pastSlot(), 60)).getLong("id");
    OffsetDateTime busy = futureSlot();
    long clashing = create(api, school.mentorA.token(), group(school.cohortId, busy, 60)).getLong("id");
    School.Member student = newStudent(null);
    school.assign(student, school.mentorB);
    long own = create(api, school.mentorB.token(), oneToOne(student.id(), busy.plusMinutes(30), 60)).getLong("id");

    Api.Response moved = moveToCohort(student, school.cohortId);
    assertEquals(200, moved.status(), moved::toString);
    assertEquals(200, status(student, upcoming), "attends the session to come");
    assertTrue(attends(student.id(), upcoming));
    assertEquals(404, status(student, past), "a past session is history, not theirs");
    assertEquals(404, status(student, clashing), "the clashing session is skipped: the 1:1 already has that time");
    assertEquals(200, status(student, own));
  }

  @Test
  @DisplayName("a student who leaves a cohort no longer attends its sessions still to come; marked attendance stays")
  void leaving() {
    School.Member student = newStudent(school.cohortId);
    long upcoming = create(api, school.mentorA.token(), group(school.cohortId, futureSlot(), 60)).getLong("id");
    long past = create(api, school.mentorA.token(), group(school.cohortId, pastSlot(), 60)).getLong("id");
    assertTrue(attends(student.id(), upcoming) && attends(student.id(), past), "members at creation attend");
    Api.Response marked = api.put("/api/schedules/" + past + "/attendance", student.token(),
      new JsonObject().put("attendance", "attended"));
    assertEquals(200, marked.status(), marked::toString);

    Api.Response left = moveToCohort(student, null);
    assertEquals(200, left.status(), left::toString);
    assertEquals(404, status(student, upcoming), "no longer attends the session to come");
    assertEquals(200, status(student, past), "the session they attended stays in their history");
    assertTrue(attends(student.id(), past));
  }

  @Test
  @DisplayName("a student who signs up into a cohort attends its sessions still to come")
  void signingUp() {
    long upcoming = create(api, school.mentorA.token(), group(school.cohortId, futureSlot(), 60)).getLong("id");
    School.Member student = newStudent(school.cohortId);
    assertEquals(200, status(student, upcoming));
  }
}
