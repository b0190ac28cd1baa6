package edu.mentoring.portal.realtime;

import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

@DisplayName("Room authorisation: each room type to exactly the people the contract names")
class RoomAuthorisationTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static School school;



  record Case(String who, Function<School, School.Member> member, Function<School, String> room, boolean allowed) {
    @Override
    public String toString() {
      return who + (allowed ? " may join " : " may not join ") + "the room";
    }
  }

  static Arguments c(String description, Function<School, School.Member> member, Function<School, String> room,
                     boolean allowed) {
    return Arguments.of(description, new Case(description, member, room, allowed));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
      c("a student, their own user room", s -> s.studentA, s -> Rooms.user(s.studentA.id()), true),
      c("a student, another user's room", s -> s.studentA, s -> Rooms.user(s.studentB.id()), false),
      c("a mentor, a student's user room", s -> s.mentorA, s -> Rooms.user(s.studentA.id()), false),
      c("an admin, any user room", s -> s.admin, s -> Rooms.user(s.studentA.id()), true),
      c("a student, role:student", s -> s.studentA, s -> Rooms.role("student"), true),
      c("a student, role:mentor", s -> s.studentA, s -> Rooms.role("mentor"), false),
      c("a student, role:admin", s -> s.studentA, s -> Rooms.role("admin"), false),
      c("a mentor, role:mentor", s -> s.mentorA, s -> Rooms.role("mentor"), true),
      c("a mentor, role:admin", s -> s.mentorA, s -> Rooms.role("admin"), false),
      c("an admin, role:admin", s -> s.admin, s -> Rooms.role("admin"), true),
      c("a mentor, their own mentor room", s -> s.mentorA, s -> Rooms.mentor(s.mentorA.id()), true),
      c("a mentor, another mentor's room", s -> s.mentorA, s -> Rooms.mentor(s.mentorB.id()), false),
      c("a student, their mentor's room", s -> s.studentA, s -> Rooms.mentor(s.mentorA.id()), false),
      c("an admin, a mentor room", s -> s.admin, s -> Rooms.mentor(s.mentorB.id()), true),
      c("a student, their own student room", s -> s.studentA, s -> Rooms.student(s.studentA.id()), true),
      c("a student, another student's room", s -> s.studentA, s -> Rooms.student(s.studentB.id()), false),
      c("the assigned mentor, their student's room", s -> s.mentorA, s -> Rooms.student(s.studentA.id()), true),
      c("the cohort's mentor, a cohort student's room", s -> s.mentorA, s -> Rooms.student(s.cohortStudent.id()), true),
      c("another mentor, a student's room", s -> s.mentorB, s -> Rooms.student(s.studentA.id()), false),
      c("an admin, a student room", s -> s.admin, s -> Rooms.student(s.studentB.id()), true),
      c("a cohort student, their cohort room", s -> s.cohortStudent, s -> Rooms.cohort(s.cohortId), true),
      c("a student outside the cohort, its room", s -> s.studentA, s -> Rooms.cohort(s.cohortId), false),
      c("the cohort's mentor, its room", s -> s.mentorA, s -> Rooms.cohort(s.cohortId), true),
      c("another mentor, the cohort room", s -> s.mentorB, s -> Rooms.cohort(s.cohortId), false),
      c("an admin, the cohort room", s -> s.admin, s -> Rooms.cohort(s.cohortId), true),
      c("an admin, an internal bus address", s -> s.admin, s -> "accounts.login", false),
      c("an admin, a malformed room", s -> s.admin, s -> "student:abc", false),
      c("an admin, an unknown room type", s -> s.admin, s -> "school:1", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @DisplayName("register is allowed or refused, and a refused socket receives nothing from the room")
  void roomRule(String description, Case c) {
    School.Member member = c.member().apply(school);
    String room = c.room().apply(school);
    try (BridgeClient client = BridgeClient.connect(portal.node().vertx(), portal.port())) {
      client.register(room, member.token());
      if (c.allowed()) {
        RealtimeFixture.awaitMembers(portal, room, 1);
      } else {
        JsonObject err = client.awaitError(Duration.ofSeconds(5));
        assertNotNull(err, "an err frame");
        assertEquals("rejected", err.getString("body"));
        assertEquals(0, portal.node().rooms().roomMembers(room));
      }
      RealtimeFixture.publish(portal, new JsonObject().put("type", "probe").put("data", new JsonObject()), room);
      JsonObject got = client.awaitMessage(room, Duration.ofMillis(c.allowed() ? 5_000 : 500));
      if (c.allowed()) {
        assertNotNull(got, "the allowed socket receives the room's messages");
      } else {
        assertNull(got, "a refused socket never receives a message from the room");
      }
    }
    RealtimeFixture.awaitMembers(portal, room, 0);
  }
}
