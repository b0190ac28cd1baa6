package edu.mentoring.portal.schedules;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static edu.mentoring.portal.schedules.Sessions.create;
import static edu.mentoring.portal.schedules.Sessions.futureSlot;
import static edu.mentoring.portal.schedules.Sessions.oneToOne;
import static edu.mentoring.portal.schedules.Sessions.pastSlot;
import static edu.mentoring.portal.schedules.Sessions.setStatus;
import static edu.mentoring.portal.schedules.Sessions.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what to a 1:1 session of mentorA with studentA: the session's student, another student, the mentor,
 * another mentor, an admin, nobody signed in; and what bad input gets. A refusal leaves the database as it was.
 */
@DisplayName("Schedules: permission matrix and bad input")
class SchedulePermissionsTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  /** Every caller of the matrix, by the name a failure message shows. */
  private static Map<String, String> callers() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("student of the session", school.studentA.token());
    m.put("another student", school.studentB.token());
    m.put("the mentor", school.mentorA.token());
    m.put("another mentor", school.mentorB.token());
    m.put("admin", school.admin.token());
    m.put("anonymous", null);
    return m;
  }

  private static long session(OffsetDateTime start) {
    return create(api, school.mentorA.token(), oneToOne(school.studentA.id(), start, 60)).getLong("id");
  }

  /** Asserts each refused caller's status and code, and that the session is exactly as before. */
  private static void refused(long id, Map<String, Integer> expected, Function<String, Api.Response> call) {
    Map<String, String> callers = callers();
    expected.forEach((who, status) -> {
      String before = state(portal.database(), id);
      Api.Response r = call.apply(callers.get(who));
      assertEquals(status, r.status(), who + ": " + r);
      String code = switch (status) {
        case 401 -> "unauthorized";
        case 403 -> "forbidden";
        case 404 -> "not_found";
        default -> "illegal_transition";
      };
      assertEquals(code, r.errorCode(), who + ": " + r);
      assertEquals(before, state(portal.database(), id), who + " changed the database");
    });
  }

  @Test
  @DisplayName("GET one: the student, the mentor and admins read it; another student or mentor get 404; anonymous 401")
  void readMatrix() {
    long id = session(futureSlot());
    Map<String, Integer> expected = Map.of("student of the session", 200, "another student", 404, "the mentor", 200,
      "another mentor", 404, "admin", 200, "anonymous", 401);
    callers().forEach((who, token) -> {
      Api.Response r = api.get("/api/schedules/" + id, token);
      assertEquals(expected.get(who), r.status(), who + ": " + r);
      boolean listed = token != null && api.get("/api/schedules", token).status() == 200
        && api.get("/api/schedules", token).items().stream().anyMatch(o -> ((JsonObject) o).getLong("id") == id);
      assertEquals(expected.get(who) == 200, listed, who + " in the list");
    });
  }

  @Test
  @DisplayName("POST: a mentor for their own student, an admin naming a mentor; students 403, anonymous 401, another mentor's student 400")
  void createMatrix() {
    String sql = "SELECT count(*) FROM schedules";
    long before = portal.database().count(sql);
    JsonObject body = oneToOne(school.studentA.id(), futureSlot(), 60);
    for (String token : new String[]{school.studentA.token(), school.studentB.token()}) {
      Api.Response r = api.post("/api/schedules", token, body);
      assertEquals(403, r.status(), r::toString);
    }
    assertEquals(401, api.post("/api/schedules", null, body).status());
    Api.Response notHers = api.post("/api/schedules", school.mentorB.token(), body);
    assertEquals(400, notHers.status(), notHers::toString);
    assertEquals("studentId", notHers.json().getJsonObject("error").getJsonArray("details").getJsonObject(0)
      .getString("field"));
    Api.Response notHerCohort = api.post("/api/schedules", school.mentorB.token(),
      Sessions.group(school.cohortId, futureSlot(), 60));
    assertEquals(400, notHerCohort.status(), notHerCohort::toString);
    Api.Response selfNamed = api.post("/api/schedules", school.mentorB.token(), body.copy()
      .put("mentorId", school.mentorA.id()));
    assertEquals(400, selfNamed.status(), "a mentor cannot book for another mentor");
    assertEquals(before, portal.database().count(sql));
    assertEquals(201, api.post("/api/schedules", school.mentorA.token(), body).status());
    assertEquals(201, api.post("/api/schedules", school.admin.token(), oneToOne(school.studentB.id(), futureSlot(), 60)
      .put("mentorId", school.mentorB.id())).status());
  }

  @Test
  @DisplayName("PUT: the mentor and admins edit; students 403; another mentor 404; anonymous 401; refusals change nothing")
  void updateMatrix() {
    long id = session(futureSlot());
    JsonObject body = new JsonObject().put("title", "Renamed");
    refused(id, Map.of("student of the session", 403, "another student", 403, "another mentor", 404,
      "anonymous", 401), token -> api.put("/api/schedules/" + id, token, body));
    assertEquals(200, api.put("/api/schedules/" + id, school.mentorA.token(), body).status());
    assertEquals(200, api.put("/api/schedules/" + id, school.admin.token(), body.copy().put("title", "By admin"))
      .status());
    assertEquals("By admin", api.get("/api/schedules/" + id, school.studentA.token()).json().getString("title"));
  }

  @Test
  @DisplayName("PATCH status: the session's student gets 409 illegal_transition (students mark attendance instead); others 404/401")
  void statusMatrix() {
    long id = session(pastSlot());
    refused(id, Map.of("student of the session", 409, "another student", 404, "another mentor", 404,
      "anonymous", 401), token -> setStatus(api, token, id, "completed"));
    refused(id, Map.of("student of the session", 409), token -> setStatus(api, token, id, "cancelled"));
    assertEquals(200, setStatus(api, school.mentorA.token(), id, "completed").status());
    long other = session(pastSlot());
    assertEquals(200, setStatus(api, school.admin.token(), other, "cancelled").status());
  }

  @Test
  @DisplayName("PUT attendance: the student marks their own, the mentor and admins anyone's; another student or mentor 404")
  void attendanceMatrix() {
    long id = session(pastSlot());
    JsonObject body = new JsonObject().put("attendance", "absent").put("studentId", school.studentA.id());
    refused(id, Map.of("another student", 404, "another mentor", 404, "anonymous", 401),
      token -> api.put("/api/schedules/" + id + "/attendance", token, body));
    // a student naming somebody else is refused, even on their own session
    refused(id, Map.of("student of the session", 403), token -> api.put("/api/schedules/" + id + "/attendance", token,
      new JsonObject().put("attendance", "attended").put("studentId", school.studentB.id())));
    Api.Response own = api.put("/api/schedules/" + id + "/attendance", school.studentA.token(),
      new JsonObject().put("attendance", "absent"));
    assertEquals(200, own.status(), own::toString);
    assertEquals(200, api.put("/api/schedules/" + id + "/attendance", school.mentorA.token(), body).status());
    assertEquals(200, api.put("/api/schedules/" + id + "/attendance", school.admin.token(), body).status());
    // the mentor names an attendee; anyone else is a bad request
    String before = state(portal.database(), id);
    Api.Response stranger = api.put("/api/schedules/" + id + "/attendance", school.mentorA.token(),
      new JsonObject().put("attendance", "absent").put("studentId", school.cohortStudent.id()));
    assertEquals(400, stranger.status(), stranger::toString);
    assertEquals(before, state(portal.database(), id));
  }

  @Test
  @DisplayName("DELETE: the mentor and admins remove a cancelled session; students 403; another mentor 404; anonymous 401")
  void deleteMatrix() {
    long id = session(futureSlot());
    assertEquals(200, setStatus(api, school.mentorA.token(), id, "cancelled").status());
    refused(id, Map.of("student of the session", 403, "another student", 403, "another mentor", 404,
      "anonymous", 401), token -> api.delete("/api/schedules/" + id, token));
    assertEquals(204, api.delete("/api/schedules/" + id, school.mentorA.token()).status());
    long other = session(futureSlot());
    assertEquals(200, setStatus(api, school.mentorA.token(), other, "cancelled").status());
    assertEquals(204, api.delete("/api/schedules/" + other, school.admin.token()).status());
  }

  // ------------------------------------------------------------------ bad input

  private static void invalid(Api.Response r, String field) {
    assertEquals(400, r.status(), r::toString);
    assertEquals("validation_failed", r.errorCode(), r::toString);
    assertTrue(r.json().getJsonObject("error").getJsonArray("details").stream()
      .anyMatch(d -> field.equals(((JsonObject) d).getString("field"))), field + " not named in " + r);
  }

  @Test
  @DisplayName("POST with missing, wrong-typed, oversize, NUL-bearing fields or bad times is a 400 naming the field")
  void createBadInput() {
    long before = portal.database().count("SELECT count(*) FROM schedules");
    OffsetDateTime t = futureSlot();
    JsonObject ok = oneToOne(school.studentA.id(), t, 60);
    Map<String, JsonObject> cases = new LinkedHashMap<>();
    cases.put("title", ok.copy().putNull("title"));
    cases.put("title ", ok.copy().put("title", 42));
    cases.put("title  ", ok.copy().put("title", "x".repeat(201)));
    cases.put("title   ", ok.copy().put("title", "bad\u0000title"));
    cases.put("title    ", ok.copy().put("title", "   "));
    cases.put("description", ok.copy().put("description", "d".repeat(5001)));
    cases.put("focusStack", ok.copy().put("focusStack", "f".repeat(101)));
    cases.put("focusStack ", ok.copy().put("focusStack", "nul\u0000"));
    cases.put("startTime", withoutKey(ok, "startTime"));
    cases.put("startTime ", ok.copy().put("startTime", "2027-01-10T10:00:00"));
    cases.put("startTime  ", ok.copy().put("startTime", 1700000000));
    cases.put("startTime   ", ok.copy().put("startTime", "tomorrow"));
    cases.put("endTime", ok.copy().put("endTime", t.minusMinutes(1).toString()));
    cases.put("endTime ", ok.copy().put("endTime", t.toString()));
    cases.put("endTime  ", ok.copy().put("endTime", t.plusHours(8).plusMinutes(1).toString()));
    cases.put("endTime   ", ok.copy().put("endTime", "2027-01-10T12:00"));
    cases.put("studentId", withoutKey(ok, "studentId"));
    cases.put("studentId ", ok.copy().put("studentId", "abc"));
    cases.put("studentId  ", ok.copy().put("studentId", -3));
    cases.put("isGroupSession", ok.copy().put("isGroupSession", "yes"));
    cases.put("cohortId", withoutKey(ok, "studentId").put("isGroupSession", true));
    cases.forEach((field, body) -> invalid(api.post("/api/schedules", school.mentorA.token(), body), field.trim()));
    // exactly 8 hours is allowed
    assertEquals(201, api.post("/api/schedules", school.mentorA.token(),
      ok.copy().put("endTime", t.plusHours(8).toString())).status());
    assertEquals(before + 1, portal.database().count("SELECT count(*) FROM schedules"));
  }

  private static JsonObject withoutKey(JsonObject o, String key) {
    JsonObject copy = o.copy();
    copy.remove(key);
    return copy;
  }

  @Test
  @DisplayName("PUT with nothing to change, fixed fields, bad types or bad times is a 400 and changes nothing")
  void updateBadInput() {
    OffsetDateTime t = futureSlot();
    long id = session(t);
    Map<String, JsonObject> cases = new LinkedHashMap<>();
    cases.put("body", new JsonObject());
    cases.put("body ", new JsonObject().put("colour", "blue"));
    cases.put("mentorId", new JsonObject().put("mentorId", school.mentorB.id()));
    cases.put("studentId", new JsonObject().put("studentId", school.studentB.id()));
    cases.put("isGroupSession", new JsonObject().put("isGroupSession", true));
    cases.put("status", new JsonObject().put("status", "completed"));
    cases.put("title", new JsonObject().putNull("title"));
    cases.put("title ", new JsonObject().put("title", 7));
    cases.put("title  ", new JsonObject().put("title", "t".repeat(201)));
    cases.put("title   ", new JsonObject().put("title", "\u0000"));
    cases.put("description", new JsonObject().put("description", List.of("a")));
    cases.put("startTime", new JsonObject().put("startTime", "2027-01-10T10:00:00"));
    cases.put("startTime ", new JsonObject().putNull("startTime"));
    cases.put("endTime", new JsonObject().put("endTime", t.minusHours(1).toString()));
    cases.put("endTime ", new JsonObject().put("endTime", t.plusHours(9).toString()));
    cases.put("endTime  ", new JsonObject().put("startTime", t.plusHours(2).toString()));
    cases.put("endTime   ", new JsonObject().put("startTime", t.toString()).put("endTime", t.toString()));
    String before = state(portal.database(), id);
    cases.forEach((field, body) -> {
      invalid(api.put("/api/schedules/" + id, school.mentorA.token(), body), field.trim());
      assertEquals(before, state(portal.database(), id), field);
    });
  }

  @Test
  @DisplayName("PATCH status and PUT attendance with missing or unknown values are a 400; a bad path id is a 404")
  void statusAndAttendanceBadInput() {
    long id = session(pastSlot());
    String before = state(portal.database(), id);
    String path = "/api/schedules/" + id;
    invalid(api.patch(path + "/status", school.mentorA.token(), new JsonObject()), "status");
    invalid(api.patch(path + "/status", school.mentorA.token(), new JsonObject().put("status", "done")), "status");
    invalid(api.patch(path + "/status", school.mentorA.token(), new JsonObject().put("status", 3)), "status");
    invalid(api.put(path + "/attendance", school.studentA.token(), new JsonObject()), "attendance");
    invalid(api.put(path + "/attendance", school.studentA.token(), new JsonObject().put("attendance", "present")),
      "attendance");
    invalid(api.put(path + "/attendance", school.studentA.token(), new JsonObject().put("attendance", "pending")),
      "attendance");
    invalid(api.put(path + "/attendance", school.mentorA.token(), new JsonObject().put("attendance", "absent")),
      "studentId");
    invalid(api.put(path + "/attendance", school.mentorA.token(), new JsonObject().put("attendance", "absent")
      .put("studentId", "x")), "studentId");
    assertEquals(before, state(portal.database(), id));
    for (String bad : List.of("abc", "0", "-1", "99999999999")) {
      Api.Response r = api.get("/api/schedules/" + bad, school.admin.token());
      assertEquals(404, r.status(), bad + ": " + r);
    }
    assertEquals(404, setStatus(api, school.admin.token(), -1, "cancelled").status());
    // not JSON, or JSON that is not an object
    Api.Response notJson = api.send(HttpMethod.PUT, path, school.mentorA.token(), Buffer.buffer("{title:"),
      "application/json");
    assertEquals(400, notJson.status(), notJson::toString);
    assertEquals("invalid_json", notJson.errorCode());
    assertEquals(before, state(portal.database(), id));
  }

  @Test
  @DisplayName("GET /schedules with a time without offset, an unknown status or a bad id or limit is a 400")
  void listBadInput() {
    String token = school.admin.token();
    invalid(api.get("/api/schedules?from=2027-01-01T00:00:00", token), "from");
    invalid(api.get("/api/schedules?to=yesterday", token), "to");
    invalid(api.get("/api/schedules?status=done", token), "status");
    invalid(api.get("/api/schedules?studentId=abc", token), "studentId");
    invalid(api.get("/api/schedules?mentorId=-2", token), "mentorId");
    invalid(api.get("/api/schedules?limit=0", token), "limit");
    invalid(api.get("/api/schedules?limit=100000", token), "limit");
  }
}
