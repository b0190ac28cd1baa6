package edu.mentoring.portal.realtime;

import edu.mentoring.portal.accounts.Tokens;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    school.assign(student, school.mentorA);
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
  @DisplayName("when a socket's token expires it loses its rooms")
  void expiredToken() {
    JWTAuth jwt = JWTAuth.create(portal.node().vertx(), new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(TestPortal.SECRET)));
    String shortLived = jwt.generateToken(new JsonObject().put("sub", Long.toString(school.studentA.id()))
      .put("role", "student"), new JWTOptions().setIssuer(Tokens.ISSUER).setExpiresInSeconds(2));
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
}
