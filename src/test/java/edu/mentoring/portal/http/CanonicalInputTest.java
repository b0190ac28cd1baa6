package edu.mentoring.portal.http;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static edu.mentoring.portal.http.HttpHygieneTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Canonical input: one name per object, text stored exactly, and every refusal in the contract's shape")
class CanonicalInputTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  private static long entry(String title) {
    Api.Response r = api.post("/api/entries", school.studentA.token(), new JsonObject().put("title", title)
      .put("content", "Notes on " + title));
    assertEquals(201, r.status(), r::toString);
    return r.json().getLong("id");
  }

  private static String status(long entryId) {
    return api.get("/api/entries/" + entryId, school.studentA.token()).json().getString("status");
  }

  @Test
  @DisplayName("a query parameter never overrides a path parameter: PATCH /entries/5/status?id=9 changes entry 5, not 9")
  void queryNeverOverridesPath() {
    long named = entry("Named in the path");
    long smuggled = entry("Named in the query");
    Api.Response r = api.patch("/api/entries/" + named + "/status?id=" + smuggled, school.studentA.token(),
      new JsonObject().put("status", "submitted"));
    assertEquals(200, r.status(), r::toString);
    assertEquals(named, r.json().getLong("id"));
    assertEquals("submitted", status(named));
    assertEquals("draft", status(smuggled));

    Api.Response read = api.get("/api/entries/" + named + "?id=" + smuggled, school.studentA.token());
    assertEquals(named, read.json().getLong("id"), read::toString);
  }

  @Test
  @DisplayName("path ids are ASCII digits without sign or leading zero: +5, 05, Arabic-Indic ٥ and fullwidth ５ name nothing (404)")
  void pathIdsAreAsciiDigits() {
    long id = entry("One name only");
    String digits = Long.toString(id);
    String arabic = digits.chars().mapToObj(c -> String.valueOf((char) ('\u0660' + (c - '0')))).reduce("", String::concat);
    String fullwidth = digits.chars().mapToObj(c -> String.valueOf((char) ('\uFF10' + (c - '0')))).reduce("", String::concat);
    assertEquals(200, api.get("/api/entries/" + digits, school.studentA.token()).status());
    for (String alias : List.of("+" + digits, "%2B" + digits, "0" + digits, enc(arabic), enc(fullwidth), digits + "%20",
      "-" + digits)) {
      assertError(api.get("/api/entries/" + alias, school.studentA.token()), 404, "not_found");
      assertError(api.patch("/api/entries/" + alias + "/status", school.studentA.token(),
        new JsonObject().put("status", "submitted")), 404, "not_found");
    }
    assertEquals("draft", status(id));
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a lone UTF-16 surrogate in any text field is refused with 400 (it would be stored as '?'), and nothing is written")
  void loneSurrogates() {
    String[] bodies = {
      "{\"title\":\"broken \\ud800 title\",\"content\":\"fine\"}",
      "{\"title\":\"fine\",\"content\":\"trailing \\udfff\"}",
      "{\"title\":\"fine\",\"content\":\"fine\",\"focusStack\":\"\\ud83d\"}",
      "{\"title\":\"fine\",\"content\":\"fine\",\"\\ud800\":1}"};
    long before = portal.database().count("SELECT count(*) FROM learning_entries");
    for (String body : bodies) {
      JsonObject error = assertError(api.send(HttpMethod.POST, "/api/entries", school.studentA.token(),
        Buffer.buffer(body), "application/json"), 400, "validation_failed");
      assertTrue(error.getString("message").contains("surrogate"), error::encode);
    }
    assertEquals(before, portal.database().count("SELECT count(*) FROM learning_entries"));
    // a real pair (an emoji) is text like any other
    Api.Response emoji = api.send(HttpMethod.POST, "/api/entries", school.studentA.token(),
      Buffer.buffer("{\"title\":\"rocket \\ud83d\\ude80\",\"content\":\"fine\"}"), "application/json");
    assertEquals(201, emoji.status(), emoji::toString);
    assertEquals("rocket \uD83D\uDE80", emoji.json().getString("title"));
  }

  private static Future<Api.Response> raw(RequestOptions options) {
    HttpClient client = portal.node().vertx().createHttpClient();
    return client.request(options.setHost("127.0.0.1").setPort(portal.port()))
      .compose(req -> req.send())
      .compose(r -> r.body().map(b -> new Api.Response(r.statusCode(), b, r.getHeader("Content-Type"))))
      .andThen(ar -> client.close());
  }

  @Test
  @DisplayName("an over-long request line gets 414 and over-large headers get 431, each with the contract's JSON error body")
  void overLongRequests() {
    Api.Response line = raw(new RequestOptions().setMethod(HttpMethod.GET)
      .setURI("/api/entries?q=" + "x".repeat(10_000))).await();
    assertError(line, 414, "uri_too_long");
    Api.Response headers = raw(new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/entries")
      .putHeader("X-Padding", "y".repeat(20_000))).await();
    assertError(headers, 431, "headers_too_large");
    assertEquals(200, api.get("/health", null).status(), "the node is fine after");
  }
}
