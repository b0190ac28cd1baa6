package edu.mentoring.portal.http;

import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route called for real, successes and the refusals it really gives, and each answer — status, body, headers —
 * validated against {@code webroot/openapi.json} by Vert.x's own OpenAPI validator: the document can no longer claim
 * what the portal does not do, nor leave out a status it answers.
 */
@DisplayName("OpenAPI conformance: real answers of every route match the document's statuses and schemas")
class OpenApiConformanceTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static School school;
  private static WebClient client;
  private static ResponseValidator validator;
  private static JsonObject doc;
  private static final List<String> problems = new ArrayList<>();
  private static final Set<String> exercised = new LinkedHashSet<>();

  @BeforeAll
  static void load() throws Exception {
    Vertx vertx = portal.node().vertx();
    doc = new JsonObject(Files.readString(Path.of("webroot", "openapi.json")));
    validator = ResponseValidator.create(vertx, OpenAPIContract.from(vertx, forValidator(doc)).await());
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(portal.port()));
  }

  /**
   * The document as the validator reads it. It names its server relatively ("/"), and the validator wants an
   * absolute URL: this portal's. Its JSON Schema dialect ignores OpenAPI 3.0's {@code nullable}
   * (eclipse-vertx/vertx-json-schema#62, #144), so the same document is given in 3.1 terms, where a nullable schema
   * S is {@code anyOf: [S, {type: "null"}]}: nothing is loosened, only spelled the way it understands.
   */
  static JsonObject forValidator(JsonObject document) {
    JsonObject copy = document.copy().put("openapi", "3.1.0").put("servers", new io.vertx.core.json.JsonArray()
      .add(new JsonObject().put("url", portal.node().url())));
    return (JsonObject) nullableAs31(copy);
  }

  private static Object nullableAs31(Object node) {
    if (node instanceof io.vertx.core.json.JsonArray a) {
      for (int i = 0; i < a.size(); i++) a.set(i, nullableAs31(a.getValue(i)));
      return a;
    }
    if (!(node instanceof JsonObject o)) return node;
    for (String key : Set.copyOf(o.fieldNames())) o.put(key, nullableAs31(o.getValue(key)));
    if (!Boolean.TRUE.equals(o.remove("nullable"))) return o;
    // anyOf rather than type: [T, "null"]: its format check (int64) would otherwise be applied to null too
    return new JsonObject().put("anyOf", new io.vertx.core.json.JsonArray().add(o)
      .add(new JsonObject().put("type", "null")));
  }

  /** Sends the request and validates the answer against the operation of {@code template}; returns the body. */
  private static JsonObject call(HttpMethod method, String template, String path, String token, JsonObject body,
                                 int expected) {
    HttpRequest<Buffer> req = client.request(method, path);
    if (token != null) req.putHeader("Authorization", "Bearer " + token);
    HttpResponse<Buffer> r = body == null ? req.send().await()
      : req.putHeader("Content-Type", "application/json").sendBuffer(body.toBuffer()).await();
    String key = method.name() + " " + template;
    exercised.add(key);
    if (r.statusCode() != expected) {
      problems.add(key + " (" + path + "): expected " + expected + ", got " + r.statusCode() + " " + r.bodyAsString());
    }
    JsonObject operation = doc.getJsonObject("paths").getJsonObject("/api" + template)
      .getJsonObject(method.name().toLowerCase(Locale.ROOT));
    Map<String, String> headers = new HashMap<>();
    r.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
    String type = r.getHeader("Content-Type");
    Buffer payload = r.body() == null || r.body().length() == 0 ? null : r.body();
    ValidatableResponse answer = ValidatableResponse.create(r.statusCode(), headers, payload,
      payload == null ? null : type == null ? "application/json" : type.split(";")[0].trim());
    try {
      validator.validate(answer, operation.getString("operationId")).await();
    } catch (Exception e) {
      problems.add(key + " → " + r.statusCode() + ": " + e.getMessage() + " — body " + r.bodyAsString());
    }
    return r.statusCode() < 300 && payload != null ? r.bodyAsJsonObject() : null;
  }

  private static JsonObject get(String template, String path, String token, int expected) {
    return call(HttpMethod.GET, template, path, token, null, expected);
  }

  private static String at(String template, long id) {
    return template.replace("{id}", Long.toString(id));
  }

  @Test
  @DisplayName("each route's successes and refusals (401, 403, 404, 409, 400, 429 …) are documented with their schemas")
  void everyRoute() {
    String tag = UUID.randomUUID().toString().substring(0, 6);
    String admin = school.admin.token();
    String mentor = school.mentorA.token();
    String student = school.studentA.token();
    String other = school.studentB.token();

    // accounts
    JsonObject reg = new JsonObject().put("email", "oa-" + tag + "@school.test").put("password", "password-123")
      .put("name", "Conformance");
    call(HttpMethod.POST, "/auth/register", "/api/auth/register", null, reg, 201);
    call(HttpMethod.POST, "/auth/register", "/api/auth/register", null, reg, 409);
    call(HttpMethod.POST, "/auth/register", "/api/auth/register", null, new JsonObject().put("email", "x"), 400);
    call(HttpMethod.POST, "/auth/login", "/api/auth/login", null, new JsonObject().put("email", reg.getString("email"))
      .put("password", "password-123"), 200);
    call(HttpMethod.POST, "/auth/login", "/api/auth/login", null, new JsonObject().put("email", reg.getString("email"))
      .put("password", "wrong-password"), 401);
    get("/auth/me", "/api/auth/me", student, 200);
    get("/auth/me", "/api/auth/me", null, 401);
    JsonObject newMentor = call(HttpMethod.POST, "/users", "/api/users", admin, new JsonObject()
      .put("email", "oam-" + tag + "@school.test").put("password", "password-123").put("name", "M").put("role", "mentor"), 201);
    call(HttpMethod.POST, "/users", "/api/users", student, new JsonObject().put("email", "n@school.test"), 403);
    get("/students", "/api/students", mentor, 200);
    get("/students", "/api/students", student, 403);
    get("/mentors", "/api/mentors", admin, 200);
    // accounts (admins): list, deactivate and reactivate, a password link spent by its user
    get("/users", "/api/users?limit=5", admin, 200);
    get("/users", "/api/users", mentor, 403);
    String activePath = at("/api/users/{id}/active", newMentor.getLong("id"));
    call(HttpMethod.PUT, "/users/{id}/active", activePath, admin, new JsonObject().put("active", false), 200);
    call(HttpMethod.PUT, "/users/{id}/active", activePath, admin, new JsonObject().put("active", true), 200);
    call(HttpMethod.PUT, "/users/{id}/active", "/api/users/999999/active", admin, new JsonObject().put("active", false), 404);
    JsonObject link = call(HttpMethod.POST, "/users/{id}/password-reset", at("/api/users/{id}/password-reset",
      newMentor.getLong("id")), admin, null, 201);
    String resetToken = link.getString("path").substring(link.getString("path").indexOf("#reset=") + "#reset=".length());
    call(HttpMethod.POST, "/auth/password-reset", "/api/auth/password-reset", null, new JsonObject()
      .put("token", resetToken).put("password", "a-new-passphrase-2026"), 200);
    call(HttpMethod.POST, "/auth/password-reset", "/api/auth/password-reset", null, new JsonObject()
      .put("token", resetToken).put("password", "a-new-passphrase-2026"), 400);

    call(HttpMethod.PUT, "/students/{id}/mentor", at("/api/students/{id}/mentor", school.studentA.id()), admin,
      new JsonObject().put("mentorId", school.mentorA.id()), 200);
    call(HttpMethod.PUT, "/students/{id}/mentor", "/api/students/999999/mentor", admin,
      new JsonObject().put("mentorId", school.mentorA.id()), 404);
    call(HttpMethod.PUT, "/students/{id}/cohort", at("/api/students/{id}/cohort", school.cohortStudent.id()), admin,
      new JsonObject().put("cohortId", school.cohortId), 200);
    JsonObject cohort = call(HttpMethod.POST, "/cohorts", "/api/cohorts", admin, new JsonObject().put("name", "OA " + tag)
      .put("mentorIds", new io.vertx.core.json.JsonArray().add(newMentor.getLong("id"))), 201);
    call(HttpMethod.POST, "/cohorts", "/api/cohorts", admin, new JsonObject().put("name", "OA " + tag)
      .put("mentorIds", new io.vertx.core.json.JsonArray().add(newMentor.getLong("id"))), 409);
    get("/cohorts", "/api/cohorts", student, 200);
    JsonObject inv = call(HttpMethod.POST, "/cohorts/{id}/invitations", at("/api/cohorts/{id}/invitations",
      cohort.getLong("id")), admin, new JsonObject().put("maxUses", 2), 201);
    call(HttpMethod.POST, "/cohorts/{id}/invitations", at("/api/cohorts/{id}/invitations", school.cohortId),
      school.mentorB.token(), new JsonObject(), 404);
    get("/cohorts/{id}/invitations", at("/api/cohorts/{id}/invitations", cohort.getLong("id")), admin, 200);
    call(HttpMethod.DELETE, "/invitations/{id}", at("/api/invitations/{id}", inv.getLong("id")), admin, null, 204);
    call(HttpMethod.DELETE, "/invitations/{id}", "/api/invitations/999999", admin, null, 404);

    // entries and comments
    JsonObject entry = call(HttpMethod.POST, "/entries", "/api/entries", student, new JsonObject().put("title", "OA")
      .put("content", "conformance"), 201);
    call(HttpMethod.POST, "/entries", "/api/entries", mentor, new JsonObject().put("title", "OA").put("content", "c"), 403);
    get("/entries", "/api/entries", mentor, 200);
    String entryPath = at("/api/entries/{id}", entry.getLong("id"));
    get("/entries/{id}", entryPath, student, 200);
    get("/entries/{id}", entryPath, other, 404);
    call(HttpMethod.PUT, "/entries/{id}", entryPath, student, new JsonObject().put("title", "OA edited"), 200);
    call(HttpMethod.PATCH, "/entries/{id}/status", entryPath + "/status", student,
      new JsonObject().put("status", "submitted"), 200);
    call(HttpMethod.PATCH, "/entries/{id}/status", entryPath + "/status", student,
      new JsonObject().put("status", "draft"), 409);
    call(HttpMethod.POST, "/entries/{id}/comments", entryPath + "/comments", mentor,
      new JsonObject().put("body", "Good"), 201);
    get("/entries/{id}/comments", entryPath + "/comments", student, 200);

    // tasks
    JsonObject task = call(HttpMethod.POST, "/tasks", "/api/tasks", mentor, new JsonObject()
      .put("studentId", school.studentA.id()).put("title", "OA task"), 201);
    call(HttpMethod.POST, "/tasks", "/api/tasks", mentor, new JsonObject().put("title", "no one"), 400);
    get("/tasks", "/api/tasks", student, 200);
    call(HttpMethod.PATCH, "/tasks/{id}/status", at("/api/tasks/{id}/status", task.getLong("id")), student,
      new JsonObject().put("status", "in_progress"), 200);
    call(HttpMethod.PATCH, "/tasks/{id}/status", at("/api/tasks/{id}/status", task.getLong("id")), other,
      new JsonObject().put("status", "done"), 404);

    // schedules
    OffsetDateTime day = OffsetDateTime.now(ZoneOffset.UTC).plusDays(400).withHour(9).withMinute(0).withSecond(0).withNano(0);
    JsonObject session = new JsonObject().put("studentId", school.studentA.id()).put("title", "OA session")
      .put("startTime", day.toString()).put("endTime", day.plusHours(1).toString());
    JsonObject created = call(HttpMethod.POST, "/schedules", "/api/schedules", mentor, session, 201);
    call(HttpMethod.POST, "/schedules", "/api/schedules", mentor, session, 409);
    get("/schedules", "/api/schedules", student, 200);
    String schedulePath = at("/api/schedules/{id}", created.getLong("id"));
    get("/schedules/{id}", schedulePath, student, 200);
    get("/schedules/{id}", schedulePath, other, 404);
    call(HttpMethod.PUT, "/schedules/{id}", schedulePath, mentor, new JsonObject().put("title", "OA renamed"), 200);
    call(HttpMethod.PUT, "/schedules/{id}", schedulePath, student, new JsonObject().put("title", "mine"), 403);
    call(HttpMethod.PUT, "/schedules/{id}/attendance", schedulePath + "/attendance", student,
      new JsonObject().put("attendance", "attended"), 409);
    call(HttpMethod.PUT, "/schedules/{id}/attendance", schedulePath + "/attendance", student,
      new JsonObject().put("attendance", "attended").put("studentId", school.studentB.id()), 403);
    call(HttpMethod.DELETE, "/schedules/{id}", schedulePath, mentor, null, 409);
    call(HttpMethod.PATCH, "/schedules/{id}/status", schedulePath + "/status", mentor,
      new JsonObject().put("status", "cancelled"), 200);
    call(HttpMethod.DELETE, "/schedules/{id}", schedulePath, student, null, 403);
    call(HttpMethod.DELETE, "/schedules/{id}", schedulePath, mentor, null, 204);

    // notifications, feeds, metrics, audit
    portal.database().awaitSettled();
    get("/notifications", "/api/notifications?limit=5", student, 200);
    get("/notifications", "/api/notifications?limit=0", student, 400);
    call(HttpMethod.POST, "/notifications/{id}/read", "/api/notifications/999999/read", student, null, 404);
    call(HttpMethod.POST, "/notifications/read-all", "/api/notifications/read-all", student, null, 200);
    call(HttpMethod.DELETE, "/notifications/{id}", "/api/notifications/999999", student, null, 404);
    call(HttpMethod.DELETE, "/notifications", "/api/notifications", other, null, 204);
    get("/activity", "/api/activity?limit=5", mentor, 200);
    get("/events", "/api/events?after=0&limit=5", student, 200);
    get("/metrics/dashboard", "/api/metrics/dashboard", mentor, 200);
    get("/metrics/dashboard", "/api/metrics/dashboard", student, 403);
    get("/audit-logs", "/api/audit-logs?limit=5", admin, 200);
    get("/audit-logs", "/api/audit-logs", mentor, 403);

    Set<String> missing = new LinkedHashSet<>();
    for (ApiRoute route : ApiRoutes.ALL) {
      if (!exercised.contains(route.method().name() + " " + route.path())) missing.add(route.method() + " " + route.path());
    }
    assertTrue(missing.isEmpty(), () -> "routes this test does not call: " + missing);
    assertTrue(problems.isEmpty(), () -> problems.size() + " answer(s) the document does not describe:\n"
      + String.join("\n", problems));
  }
}
