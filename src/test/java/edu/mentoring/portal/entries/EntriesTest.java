package edu.mentoring.portal.entries;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Learning entries: every route's happy path, list filters, and bad input")
class EntriesTest {
  @RegisterExtension
  static final EntryFixture f = new EntryFixture();
  private static Api api;
  private static School school;

  @Test
  @DisplayName("POST /entries: a student writes a draft, returned with every field and UTC times")
  void create() {
    Api.Response r = api.post("/api/entries", school.studentA.token(), new JsonObject()
      .put("title", "Futures in Vert.x 5").put("content", "compose, recover, await").put("focusStack", "Java"));
    assertEquals(201, r.status(), r::toString);
    JsonObject e = r.json();
    assertNotNull(e.getLong("id"));
    assertEquals(school.studentA.id(), e.getLong("studentId"));
    assertEquals("Futures in Vert.x 5", e.getString("title"));
    assertEquals("compose, recover, await", e.getString("content"));
    assertEquals("Java", e.getString("focusStack"));
    assertEquals("draft", e.getString("status"));
    assertNull(e.getString("submittedAt"));
    assertTrue(e.getString("createdAt").endsWith("Z"));
    assertTrue(e.getString("updatedAt").endsWith("Z"));
    assertEquals(0L, e.getLong("commentCount"));
    assertEquals(1, f.count("SELECT count(*) FROM audit_logs WHERE entity_type = 'entry' AND action = 'create'"
      + " AND entity_id = " + e.getLong("id")));
  }

  @Test
  @DisplayName("POST /entries: focusStack is optional")
  void createWithoutFocusStack() {
    Api.Response r = api.post("/api/entries", school.studentA.token(),
      new JsonObject().put("title", "No stack").put("content", "plain"));
    assertEquals(201, r.status(), r::toString);
    assertNull(r.json().getString("focusStack"));
  }

  @Test
  @DisplayName("GET /entries/{id}: the owner reads their entry")
  void getOne() {
    JsonObject e = f.create(school.studentA, "Readable");
    Api.Response r = api.get("/api/entries/" + e.getLong("id"), school.studentA.token());
    assertEquals(200, r.status(), r::toString);
    assertEquals(e, r.json());
  }

  @Test
  @DisplayName("PUT /entries/{id}: the owner edits a draft; fields left out keep their value, focusStack null clears it")
  void update() {
    JsonObject e = f.create(school.studentA, "Before");
    long id = e.getLong("id");
    Api.Response r = api.put("/api/entries/" + id, school.studentA.token(), new JsonObject().put("title", "After"));
    assertEquals(200, r.status(), r::toString);
    assertEquals("After", r.json().getString("title"));
    assertEquals(e.getString("content"), r.json().getString("content"));
    assertEquals("Vert.x", r.json().getString("focusStack"));
    r = api.put("/api/entries/" + id, school.studentA.token(), new JsonObject().put("content", "new text")
      .putNull("focusStack"));
    assertEquals(200, r.status(), r::toString);
    assertEquals("After", r.json().getString("title"));
    assertEquals("new text", r.json().getString("content"));
    assertNull(r.json().getString("focusStack"));
    assertEquals(r.json(), api.get("/api/entries/" + id, school.studentA.token()).json());
    assertEquals(2, f.count("SELECT count(*) FROM audit_logs WHERE entity_type = 'entry' AND action = 'update'"
      + " AND entity_id = " + id));
  }

  @Test
  @DisplayName("PATCH /entries/{id}/status: the owner submits a draft and submittedAt is set")
  void submit() {
    JsonObject e = f.create(school.studentA, "To submit");
    Api.Response r = api.patch("/api/entries/" + e.getLong("id") + "/status", school.studentA.token(),
      new JsonObject().put("status", "submitted"));
    assertEquals(200, r.status(), r::toString);
    assertEquals("submitted", r.json().getString("status"));
    assertTrue(r.json().getString("submittedAt").endsWith("Z"));
  }

  @Test
  @DisplayName("POST and GET /entries/{id}/comments: the mentor comments, owner and mentor read them in order")
  void comments() {
    JsonObject e = f.entryIn("submitted", school.studentA, school.mentorA);
    long id = e.getLong("id");
    Api.Response r = api.post("/api/entries/" + id + "/comments", school.mentorA.token(),
      new JsonObject().put("body", "Nice work on the error handling."));
    assertEquals(201, r.status(), r::toString);
    JsonObject c = r.json();
    assertNotNull(c.getLong("id"));
    assertEquals(id, c.getLong("entryId"));
    assertEquals(school.mentorA.id(), c.getLong("authorId"));
    assertEquals("Mentor A", c.getString("authorName"));
    assertEquals("mentor", c.getString("authorRole"));
    assertEquals("Nice work on the error handling.", c.getString("body"));
    assertTrue(c.getString("createdAt").endsWith("Z"));
    JsonObject second = f.comment(id, school.admin, "Agreed.");
    assertEquals("admin", second.getString("authorRole"));

    for (School.Member reader : List.of(school.studentA, school.mentorA, school.admin)) {
      Api.Response list = api.get("/api/entries/" + id + "/comments", reader.token());
      assertEquals(200, list.status(), list::toString);
      assertEquals(new JsonArray().add(c).add(second), list.items());
    }
    assertEquals(2L, api.get("/api/entries/" + id, school.studentA.token()).json().getLong("commentCount"));
  }

  @Test
  @DisplayName("GET /entries: newest first, filtered by status and studentId, paged with limit and before")
  void listAndFilters() {
    School.Member s = school.register("lister@school.test", "Lister", null);
    school.assign(s, school.mentorB);
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) ids.add(f.create(s, "Entry " + i).getLong("id"));
    f.move(ids.get(1), s, "submitted");
    f.move(ids.get(3), s, "submitted");

    JsonArray mine = api.get("/api/entries", s.token()).items();
    assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0)), idsOf(mine));

    JsonArray submitted = api.get("/api/entries?status=submitted", s.token()).items();
    assertEquals(List.of(ids.get(3), ids.get(1)), idsOf(submitted));

    JsonArray page1 = api.get("/api/entries?limit=2", s.token()).items();
    assertEquals(List.of(ids.get(4), ids.get(3)), idsOf(page1));
    JsonArray page2 = api.get("/api/entries?limit=2&before=" + ids.get(3), s.token()).items();
    assertEquals(List.of(ids.get(2), ids.get(1)), idsOf(page2));

    // mentorB sees studentB's and this student's entries; the studentId filter narrows to one student
    JsonArray byStudent = api.get("/api/entries?studentId=" + s.id(), school.mentorB.token()).items();
    assertEquals(idsOf(mine), idsOf(byStudent));
    JsonArray adminView = api.get("/api/entries?studentId=" + s.id() + "&status=draft", school.admin.token()).items();
    assertEquals(List.of(ids.get(4), ids.get(2), ids.get(0)), idsOf(adminView));
    // a filter cannot widen what a caller sees
    assertTrue(api.get("/api/entries?studentId=" + s.id(), school.studentA.token()).items().isEmpty());
    assertTrue(api.get("/api/entries?studentId=" + s.id(), school.mentorA.token()).items().isEmpty());
  }

  private static List<Long> idsOf(JsonArray items) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) out.add(items.getJsonObject(i).getLong("id"));
    return out;
  }

  // ------------------------------------------------------------------ bad input

  static Stream<Arguments> badEntryBodies() {
    return Stream.of(
      Arguments.of("missing title", new JsonObject().put("content", "x"), "title"),
      Arguments.of("missing content", new JsonObject().put("title", "x"), "content"),
      Arguments.of("empty body", new JsonObject(), "title"),
      Arguments.of("title a number", new JsonObject().put("title", 42).put("content", "x"), "title"),
      Arguments.of("content an array", new JsonObject().put("title", "t").put("content", new JsonArray().add("x")), "content"),
      Arguments.of("focusStack an object", new JsonObject().put("title", "t").put("content", "x")
        .put("focusStack", new JsonObject()), "focusStack"),
      Arguments.of("blank title", new JsonObject().put("title", "   ").put("content", "x"), "title"),
      Arguments.of("title of 201 characters", new JsonObject().put("title", "t".repeat(201)).put("content", "x"), "title"),
      Arguments.of("content of 20001 characters", new JsonObject().put("title", "t").put("content", "c".repeat(20_001)), "content"),
      Arguments.of("focusStack of 101 characters", new JsonObject().put("title", "t").put("content", "x")
        .put("focusStack", "f".repeat(101)), "focusStack"),
      Arguments.of("NUL in title", new JsonObject().put("title", "a\u0000b").put("content", "x"), "title"),
      Arguments.of("NUL in content", new JsonObject().put("title", "t").put("content", "\u0000"), "content"));
  }

  @ParameterizedTest(name = "POST /entries with {0} → 400 on {2}")
  @MethodSource("badEntryBodies")
  @DisplayName("POST /entries refuses bad input with validation_failed naming the field, and writes nothing")
  void createBadInput(String what, JsonObject body, String field) {
    EntryFixture.State before = f.state();
    Api.Response r = api.post("/api/entries", school.studentA.token(), body);
    assertValidation(r, field);
    assertEquals(before, f.state());
  }

  static Stream<Arguments> badUpdateBodies() {
    return Stream.of(
      Arguments.of("empty body", new JsonObject(), "title"),
      Arguments.of("title null", new JsonObject().putNull("title"), "title"),
      Arguments.of("content a boolean", new JsonObject().put("content", true), "content"),
      Arguments.of("title of 201 characters", new JsonObject().put("title", "t".repeat(201)), "title"),
      Arguments.of("NUL in focusStack", new JsonObject().put("focusStack", "\u0000"), "focusStack"),
      Arguments.of("a status", new JsonObject().put("title", "t").put("status", "approved"), "status"));
  }

  @ParameterizedTest(name = "PUT /entries/:id with {0} → 400 on {2}")
  @MethodSource("badUpdateBodies")
  @DisplayName("PUT /entries/{id} refuses bad input and leaves the entry as it was")
  void updateBadInput(String what, JsonObject body, String field) {
    long id = f.create(school.studentA, "Stays the same").getLong("id");
    EntryFixture.State before = f.state();
    assertValidation(api.put("/api/entries/" + id, school.studentA.token(), body), field);
    assertEquals(before, f.state());
  }

  static Stream<Arguments> badStatusBodies() {
    return Stream.of(
      Arguments.of("no status", new JsonObject()),
      Arguments.of("an unknown status", new JsonObject().put("status", "done")),
      Arguments.of("a number", new JsonObject().put("status", 3)),
      Arguments.of("a NUL", new JsonObject().put("status", "submitted\u0000")));
  }

  @ParameterizedTest(name = "PATCH /entries/:id/status with {0} → 400")
  @MethodSource("badStatusBodies")
  @DisplayName("PATCH /entries/{id}/status refuses a missing or unknown status")
  void statusBadInput(String what, JsonObject body) {
    long id = f.create(school.studentA, "Status input").getLong("id");
    EntryFixture.State before = f.state();
    assertValidation(api.patch("/api/entries/" + id + "/status", school.studentA.token(), body), "status");
    assertEquals(before, f.state());
  }

  static Stream<Arguments> badCommentBodies() {
    return Stream.of(
      Arguments.of("no body", new JsonObject()),
      Arguments.of("a number", new JsonObject().put("body", 7)),
      Arguments.of("a blank body", new JsonObject().put("body", " \n ")),
      Arguments.of("5001 characters", new JsonObject().put("body", "b".repeat(5001))),
      Arguments.of("a NUL", new JsonObject().put("body", "ok\u0000")));
  }

  @ParameterizedTest(name = "POST /entries/:id/comments with {0} → 400")
  @MethodSource("badCommentBodies")
  @DisplayName("POST /entries/{id}/comments refuses bad input and writes nothing")
  void commentBadInput(String what, JsonObject body) {
    long id = f.create(school.studentA, "Comment input").getLong("id");
    EntryFixture.State before = f.state();
    assertValidation(api.post("/api/entries/" + id + "/comments", school.mentorA.token(), body), "body");
    assertEquals(before, f.state());
  }

  @ParameterizedTest(name = "GET /entries?{0} → 400")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"limit=0", "limit=201", "limit=x", "status=bogus",
    "before=abc", "before=0", "studentId=-1", "studentId=x"})
  @DisplayName("GET /entries refuses bad filters with validation_failed")
  void listBadInput(String query) {
    Api.Response r = api.get("/api/entries?" + query, school.studentA.token());
    assertValidation(r, query.substring(0, query.indexOf('=')));
  }

  @Test
  @DisplayName("a malformed entry id is not found; a body that is not JSON is invalid_json")
  void malformed() {
    assertEquals(404, api.get("/api/entries/abc", school.studentA.token()).status());
    assertEquals(404, api.get("/api/entries/0", school.studentA.token()).status());
    assertEquals(404, api.get("/api/entries/99999999/comments", school.admin.token()).status());
    EntryFixture.State before = f.state();
    Api.Response r = api.send(HttpMethod.POST, "/api/entries", school.studentA.token(), Buffer.buffer("{\"title\":"),
      "application/json");
    assertEquals(400, r.status());
    assertEquals("invalid_json", r.errorCode());
    assertEquals(before, f.state());
  }

  private static void assertValidation(Api.Response r, String field) {
    assertEquals(400, r.status(), r::toString);
    assertEquals("validation_failed", r.errorCode(), r::toString);
    JsonArray details = r.json().getJsonObject("error").getJsonArray("details");
    assertNotNull(details, r::toString);
    assertTrue(details.stream().anyMatch(d -> field.equals(((JsonObject) d).getString("field"))), r::toString);
    assertFalse(r.raw().toString().contains("Exception"));
  }
}
