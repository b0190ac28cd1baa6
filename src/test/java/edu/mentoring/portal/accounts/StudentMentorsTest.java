package edu.mentoring.portal.accounts;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("A student's own profile names their mentors")
class StudentMentorsTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static Api api;
  private static School school;

  @Test
  @DisplayName("GET /api/auth/me lists a student's assigned mentor and their cohort's mentors by name; other roles get no list")
  void meNamesTheMentors() {
    School.Member both = school.register("named-" + System.nanoTime() + "@school.test", "Named Student", school.cohortId);
    school.assign(both, school.mentorB);
    JsonArray mentors = api.get("/api/auth/me", both.token()).json().getJsonArray("mentors");
    assertEquals(new JsonArray()
        .add(new JsonObject().put("id", school.mentorA.id()).put("name", "Mentor A"))
        .add(new JsonObject().put("id", school.mentorB.id()).put("name", "Mentor B")), mentors);
    assertEquals(new JsonArray(), api.get("/api/auth/me", school.register("alone-" + System.nanoTime() + "@school.test",
      "Alone", null).token()).json().getJsonArray("mentors"));
    assertNull(api.get("/api/auth/me", school.mentorA.token()).json().getValue("mentors"));
  }
}
