package edu.mentoring.portal.http;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("HTTP hygiene: every client mistake gets the contract's JSON error, never a 500 or a leak")
public class HttpHygieneTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  /**
   * The contract's error body: {@code {"error": {"code", "message", "details"?}}} as application/json, with the
   * expected status and code, and nothing of the server's insides.
   */
  public static JsonObject assertError(Api.Response r, int status, String code) {
    assertEquals(status, r.status(), r::toString);
    assertNotNull(r.contentType(), "Content-Type");
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    JsonObject body = r.json();
    assertEquals(Set.of("error"), body.fieldNames(), r::toString);
    JsonObject error = body.getJsonObject("error");
    assertTrue(Set.of("code", "message", "details").containsAll(error.fieldNames()), r::toString);
    assertEquals(code, error.getString("code"), r::toString);
    assertFalse(error.getString("message").isBlank());
    assertNoLeak(r);
    return error;
  }

  public static void assertNoLeak(Api.Response r) {
    String text = r.raw().toString();
    for (String leak : new String[]{"Exception", "\tat ", "at edu.", "at io.vertx", "org.postgresql", "SELECT ",
      "INSERT ", "UPDATE ", "DELETE FROM", "SQLSTATE", "password_hash", "duplicate key", "violates"}) {
      assertFalse(text.contains(leak), () -> "'" + leak + "' in " + text);
    }
  }

  private static Api.Response send(HttpMethod method, String path, String token, String body, String type) {
    return api.send(method, path, token, body == null ? null : Buffer.buffer(body), type);
  }

  @Test
  @DisplayName("a body over 64 KB is refused with 413 payload_too_large")
  void tooLarge() {
    JsonObject big = new JsonObject().put("email", "big@school.test").put("password", "password-123")
      .put("name", "x".repeat(ApiVerticle.BODY_LIMIT_BYTES + 1));
    assertError(api.post("/api/auth/register", null, big), 413, "payload_too_large");
    assertError(api.post("/api/schedules", school.mentorA.token(), big), 413, "payload_too_large");
    assertEquals(0, portal.database().count("SELECT count(*) FROM users WHERE email = 'big@school.test'"));
  }

  @Test
  @DisplayName("a chunked body (no Content-Length) that grows over 64 KB is refused with 413 too")
  void tooLargeChunked() {
    HttpClient client = portal.node().vertx().createHttpClient();
    try {
      var result = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(portal.port()).setURI("/api/auth/register").putHeader("Content-Type", "application/json"))
        .compose(req -> {
          req.setChunked(true);
          String chunk = "x".repeat(8 * 1024);
          req.write("{\"name\":\"");
          for (int i = 0; i < 10; i++) req.write(chunk);
          req.end("\"}");
          return req.response();
        })
        .compose(resp -> resp.body().map(b -> new Api.Response(resp.statusCode(), b, resp.getHeader("Content-Type"))))
        .await();
      assertError(result, 413, "payload_too_large");
    } finally {
      client.close();
    }
  }

  @Test
  @DisplayName("malformed JSON is 400 invalid_json; so are a JSON array, a string and null as the body")
  void invalidJson() {
    assertError(send(HttpMethod.POST, "/api/auth/register", null, "{\"email\": ", "application/json"),
      400, "invalid_json");
    assertError(send(HttpMethod.POST, "/api/auth/login", null, "{'email': 'x'}", "application/json"),
      400, "invalid_json");
    assertError(send(HttpMethod.POST, "/api/auth/register", null, "[{\"email\":\"a@b.c\"}]", "application/json"),
      400, "invalid_json");
    assertError(send(HttpMethod.POST, "/api/auth/register", null, "\"text\"", "application/json"),
      400, "invalid_json");
    assertError(send(HttpMethod.POST, "/api/auth/register", null, "null", "application/json"),
      400, "invalid_json");
    assertError(send(HttpMethod.PUT, "/api/students/" + school.studentA.id() + "/mentor", school.admin.token(),
      "{\"mentorId\": 1,}", "application/json; charset=utf-8"), 400, "invalid_json");
  }

  @Test
  @DisplayName("a body that is not application/json (text/plain, a form, none named) is 415 unsupported_media_type")
  void wrongContentType() {
    String json = new JsonObject().put("email", "ct@school.test").put("password", "password-123")
      .put("name", "CT").encode();
    assertError(send(HttpMethod.POST, "/api/auth/register", null, json, "text/plain"), 415, "unsupported_media_type");
    assertError(send(HttpMethod.POST, "/api/auth/register", null, "email=ct%40school.test&password=password-123&name=CT",
      "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
    assertError(send(HttpMethod.POST, "/api/auth/register", null, json, null), 415, "unsupported_media_type");
    assertError(send(HttpMethod.POST, "/api/auth/login", null, json, "application/xml"), 415, "unsupported_media_type");
    assertEquals(0, portal.database().count("SELECT count(*) FROM users WHERE email = 'ct@school.test'"));
  }

  @Test
  @DisplayName("an unknown /api route is 404 not_found in JSON, signed in or not; so is an unknown page")
  void unknownRoute() {
    assertError(api.get("/api/nothing-here", null), 404, "not_found");
    assertError(api.get("/api/nothing-here", school.admin.token()), 404, "not_found");
    assertError(api.post("/api/schedules/1/explode", school.admin.token(), new JsonObject()), 404, "not_found");
    assertError(api.get("/no-such-page.html", null), 404, "not_found");
  }

  @Test
  @DisplayName("an unknown method on a known path is a 4xx JSON error, not a 500")
  void unknownMethod() {
    Api.Response r = api.delete("/api/auth/me", school.studentA.token());
    assertTrue(r.status() == 404 || r.status() == 405, r::toString);
    assertError(r, r.status(), r.status() == 405 ? "method_not_allowed" : "not_found");
    Api.Response put = api.put("/api/auth/login", null, new JsonObject());
    assertTrue(put.status() == 404 || put.status() == 405, put::toString);
    assertError(put, put.status(), put.status() == 405 ? "method_not_allowed" : "not_found");
  }

  @Test
  @DisplayName("a validation failure is 400 validation_failed whose details name every bad field")
  void validationDetails() {
    JsonObject error = assertError(api.post("/api/auth/register", null, new JsonObject()
      .put("email", "not-an-email").put("password", 12).put("name", "")), 400, "validation_failed");
    Set<String> fields = fields(error);
    assertEquals(Set.of("email", "password", "name"), fields, error::encode);
    error.getJsonArray("details").forEach(d -> assertFalse(((JsonObject) d).getString("problem").isBlank()));

    JsonObject empty = assertError(api.post("/api/users", school.admin.token(), new JsonObject()),
      400, "validation_failed");
    assertTrue(fields(empty).containsAll(Set.of("email", "password", "name", "role")), empty::encode);

    JsonObject session = assertError(api.post("/api/schedules", school.mentorA.token(), new JsonObject()
      .put("title", "").put("studentId", "abc").put("startTime", "2030-01-01T10:00").put("endTime", 5)),
      400, "validation_failed");
    assertTrue(fields(session).containsAll(Set.of("title", "studentId", "startTime", "endTime")), session::encode);
  }

  @Test
  @DisplayName("nonsense in path ids, query parameters and odd characters never gives a 500 (errors keep the shape)")
  void noServerErrors() {
    String admin = school.admin.token();
    Api.Response[] responses = {
      api.get("/api/schedules/abc", admin),
      api.get("/api/schedules/99999999999999999999999", admin),
      api.get("/api/schedules/-1", admin),
      api.get("/api/activity?limit=abc", admin),
      api.get("/api/events?after=-5&limit=100000", admin),
      api.get("/api/audit-logs?entityId=x", admin),
      api.get("/api/students?x=%00", admin),
      api.post("/api/auth/login", null, new JsonObject().put("email", "a\u0000@b.c").put("password", "x")),
      api.post("/api/auth/register", null, new JsonObject().put("email", "q@school.test").put("password", "password-123")
        .put("name", new JsonArray().add(1))),
      api.post("/api/cohorts", admin, new JsonObject().put("name", "N").put("mentorIds", "all")),
      api.put("/api/students/" + school.studentA.id() + "/cohort", admin, new JsonObject().put("cohortId", 1.5)),
    };
    for (Api.Response r : responses) {
      assertTrue(r.status() < 500, r::toString);
      if (r.status() >= 400) assertError(r, r.status(), r.errorCode());
      else assertNoLeak(r);
    }
  }

  private static Set<String> fields(JsonObject error) {
    JsonArray details = error.getJsonArray("details");
    assertNotNull(details, error::encode);
    return details.stream().map(d -> ((JsonObject) d).getString("field")).collect(Collectors.toSet());
  }
}
