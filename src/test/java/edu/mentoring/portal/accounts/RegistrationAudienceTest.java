package edu.mentoring.portal.accounts;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Need-to-know: a registration tells each recipient only what they may see, and notifies only who it concerns")
class RegistrationAudienceTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static long registrationNotices(long userId, long studentId) {
    return portal.database().count("SELECT count(*) FROM notifications n JOIN activity_feed f ON f.id = n.event_id"
      + " WHERE f.event_type = 'student:registered' AND n.user_id = " + userId + " AND f.target_id = " + studentId);
  }

  private static JsonObject registration(String token, long studentId) {
    List<JsonObject> seen = api.get("/api/activity?type=student:registered&limit=100", token).items().stream()
      .map(JsonObject.class::cast).filter(e -> e.getJsonObject("target").getLong("id") == studentId).toList();
    assertEquals(1, seen.size(), "the registration is in the feed");
    return seen.get(0);
  }

  @Test
  @DisplayName("a student with no mentor yet: every mentor sees the event without the student's email; only the admins are notified")
  void withoutMentor() {
    School.Member loner = school.register("loner-private@school.test", "Loner", null);
    portal.database().awaitSettled();
    for (School.Member mentor : List.of(school.mentorA, school.mentorB)) {
      JsonObject event = registration(mentor.token(), loner.id());
      JsonObject student = event.getJsonObject("data").getJsonObject("student");
      assertEquals("Loner", student.getString("name"));
      assertFalse(student.containsKey("email"), event::encode);
      assertFalse(event.encode().contains("loner-private@school.test"), event::encode);
      assertEquals(0, registrationNotices(mentor.id(), loner.id()), "not their student");
    }
    assertEquals(1, registrationNotices(school.admin.id(), loner.id()), "the admins place them");
    assertFalse(portal.database().count("SELECT count(*) FROM activity_feed WHERE data::text LIKE '%loner-private@%'") > 0,
      "the email is nowhere in the feed, which keeps it for good");
  }

  @Test
  @DisplayName("a student joining a cohort by invitation: its mentor is notified; other mentors and the admins are not")
  void intoCohort() {
    School.Member joined = school.register("joined-cohort@school.test", "Joiner", school.cohortId);
    portal.database().awaitSettled();
    assertEquals(1, registrationNotices(school.mentorA.id(), joined.id()));
    assertEquals(0, registrationNotices(school.mentorB.id(), joined.id()));
    assertEquals(0, registrationNotices(school.admin.id(), joined.id()));
    assertTrue(api.get("/api/activity?type=student:registered", school.mentorB.token()).items().stream()
      .map(JsonObject.class::cast).noneMatch(e -> e.getJsonObject("target").getLong("id") == joined.id()),
      "nor does another mentor see it");
  }
}
