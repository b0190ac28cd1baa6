package edu.mentoring.portal.entries;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what to an entry of studentA (assigned to mentorA). Callers: the owner, another student, the mentor,
 * another mentor, an admin, and nobody. Refusals leave the database exactly as it was.
 */
@DisplayName("Learning entries: the permission matrix")
class EntryPermissionsTest {
  @RegisterExtension
  static final EntryFixture f = new EntryFixture();
  private static Api api;
  private static School school;

  enum Who { OWNER, ANOTHER_STUDENT, MENTOR, ANOTHER_MENTOR, ADMIN, ANONYMOUS }

  /** An operation on an entry brought to {@code state} first; {@code null} state means no entry is needed. */
  enum Op {
    READ("draft"), READ_COMMENTS("submitted"), EDIT("draft"), SUBMIT("draft"), START_REVIEW("submitted"),
    APPROVE("in_review"), REQUEST_REVISION("submitted"), COMMENT("submitted"), CREATE(null);

    final String state;

    Op(String state) { this.state = state; }
  }

  // expected status per caller, in the order of Who
  private static final Map<Op, int[]> MATRIX = Map.of(
    Op.READ, new int[]{200, 404, 200, 404, 200, 401},
    Op.READ_COMMENTS, new int[]{200, 404, 200, 404, 200, 401},
    Op.EDIT, new int[]{200, 404, 403, 403, 403, 401},
    Op.SUBMIT, new int[]{200, 404, 409, 404, 409, 401},
    Op.START_REVIEW, new int[]{409, 404, 200, 404, 200, 401},
    Op.APPROVE, new int[]{409, 404, 200, 404, 200, 401},
    Op.REQUEST_REVISION, new int[]{409, 404, 200, 404, 200, 401},
    Op.COMMENT, new int[]{403, 403, 201, 404, 201, 401},
    Op.CREATE, new int[]{201, 201, 403, 403, 403, 401});

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (Op op : Op.values()) {
      for (Who who : Who.values()) cases.add(Arguments.of(op, who, MATRIX.get(op)[who.ordinal()]));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} by {1} → {2}")
  @MethodSource("matrix")
  @DisplayName("each caller gets the matrix's status; refused calls change nothing")
  void matrix(Op op, Who who, int expected) {
    Long entryId = op.state == null ? null : f.entryIn(op.state, school.studentA, school.mentorA).getLong("id");
    EntryFixture.State before = f.state();
    Api.Response r = call(op, token(who), entryId);
    assertEquals(expected, r.status(), r::toString);
    if (expected >= 400) {
      assertEquals(expected == 409 ? "illegal_transition" : wireCode(expected), r.errorCode(), r::toString);
      assertEquals(before, f.state());
    } else if (op == Op.READ || op == Op.READ_COMMENTS) {
      assertEquals(before, f.state());
    } else {
      assertNotEquals(before, f.state());
    }
  }

  private static String wireCode(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      default -> "?";
    };
  }

  private static String token(Who who) {
    return switch (who) {
      case OWNER -> school.studentA.token();
      case ANOTHER_STUDENT -> school.studentB.token();
      case MENTOR -> school.mentorA.token();
      case ANOTHER_MENTOR -> school.mentorB.token();
      case ADMIN -> school.admin.token();
      case ANONYMOUS -> null;
    };
  }

  private static Api.Response call(Op op, String token, Long id) {
    String entry = "/api/entries/" + id;
    return switch (op) {
      case READ -> api.get(entry, token);
      case READ_COMMENTS -> api.get(entry + "/comments", token);
      case EDIT -> api.put(entry, token, new JsonObject().put("title", "Edited"));
      case SUBMIT -> api.patch(entry + "/status", token, new JsonObject().put("status", "submitted"));
      case START_REVIEW -> api.patch(entry + "/status", token, new JsonObject().put("status", "in_review"));
      case APPROVE -> api.patch(entry + "/status", token, new JsonObject().put("status", "approved"));
      case REQUEST_REVISION -> api.patch(entry + "/status", token, new JsonObject().put("status", "needs_revision"));
      case COMMENT -> api.post(entry + "/comments", token, new JsonObject().put("body", "Feedback"));
      case CREATE -> api.post("/api/entries", token, new JsonObject().put("title", "Mine").put("content", "text"));
    };
  }

  @Test
  @DisplayName("GET /entries lists exactly the entries each caller may see")
  void listVisibility() {
    long a = f.create(school.studentA, "A's").getLong("id");
    long b = f.create(school.studentB, "B's").getLong("id");
    long c = f.create(school.cohortStudent, "Cohort's").getLong("id");
    assertVisible(school.studentA, List.of(a), List.of(b, c));
    assertVisible(school.studentB, List.of(b), List.of(a, c));
    assertVisible(school.mentorA, List.of(a, c), List.of(b));
    assertVisible(school.mentorB, List.of(b), List.of(a, c));
    assertVisible(school.admin, List.of(a, b, c), List.of());
    assertEquals(401, api.get("/api/entries", null).status());
  }

  private static void assertVisible(School.Member who, List<Long> seen, List<Long> unseen) {
    Api.Response r = api.get("/api/entries?limit=200", who.token());
    assertEquals(200, r.status(), r::toString);
    JsonArray items = r.items();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) ids.add(items.getJsonObject(i).getLong("id"));
    for (Long id : seen) assertTrue(ids.contains(id), who.email() + " should see " + id);
    for (Long id : unseen) assertFalse(ids.contains(id), who.email() + " should not see " + id);
  }

  @Test
  @DisplayName("a cohort's mentor reads, reviews and comments on a cohort student's entry; another mentor gets 404")
  void cohortMentor() {
    long id = f.entryIn("submitted", school.cohortStudent, school.mentorA).getLong("id");
    assertEquals(200, api.get("/api/entries/" + id, school.mentorA.token()).status());
    f.move(id, school.mentorA, "in_review");
    f.comment(id, school.mentorA, "Looks good");
    EntryFixture.State before = f.state();
    assertEquals(404, api.get("/api/entries/" + id, school.mentorB.token()).status());
    assertEquals(404, api.patch("/api/entries/" + id + "/status", school.mentorB.token(),
      new JsonObject().put("status", "approved")).status());
    assertEquals(404, api.post("/api/entries/" + id + "/comments", school.mentorB.token(),
      new JsonObject().put("body", "Not my student")).status());
    assertEquals(before, f.state());
  }

  @Test
  @DisplayName("a mentor no longer assigned to the student loses access to the student's entries")
  void reassignedMentor() {
    School.Member s = school.register("moving@school.test", "Moving", null);
    school.assign(s, school.mentorA);
    long id = f.create(s, "Before the move").getLong("id");
    assertEquals(200, api.get("/api/entries/" + id, school.mentorA.token()).status());
    school.assign(s, school.mentorB);
    assertEquals(404, api.get("/api/entries/" + id, school.mentorA.token()).status());
    assertEquals(200, api.get("/api/entries/" + id, school.mentorB.token()).status());
  }
}
