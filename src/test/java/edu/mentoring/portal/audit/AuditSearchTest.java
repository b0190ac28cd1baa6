package edu.mentoring.portal.audit;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The audit trail searched by who, what, object and time, with the actors' names")
class AuditSearchTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static Api api;
  private static School school;

  @Test
  @DisplayName("filters by actor, action, object and a time window combine, and every entry names its actor")
  void searchByWhoWhatAndWhen() {
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30);
    Api.Response made = api.post("/api/schedules", school.mentorB.token(), new JsonObject().put("studentId", school.studentB.id())
      .put("title", "Audited").put("startTime", start.toString()).put("endTime", start.plusHours(1).toString()));
    assertEquals(201, made.status(), made::toString);
    long id = made.json().getLong("id");
    OffsetDateTime between = OffsetDateTime.now(ZoneOffset.UTC);
    assertEquals(200, api.patch("/api/schedules/" + id + "/status", school.mentorB.token(),
      new JsonObject().put("status", "cancelled")).status());

    JsonArray mine = items("actorId=" + school.mentorB.id() + "&entityType=schedule&entityId=" + id);
    assertEquals(2, mine.size(), mine::encodePrettily);
    assertEquals("status", mine.getJsonObject(0).getString("action"));
    assertEquals("Mentor B", mine.getJsonObject(0).getString("actorName"));
    assertEquals("scheduled", mine.getJsonObject(0).getJsonObject("oldValue").getString("status"));
    assertEquals("cancelled", mine.getJsonObject(0).getJsonObject("newValue").getString("status"));

    JsonArray later = items("entityType=schedule&entityId=" + id + "&from=" + enc(between.toString()));
    assertEquals(1, later.size(), later::encodePrettily);
    assertEquals("status", later.getJsonObject(0).getString("action"));
    JsonArray earlier = items("entityType=schedule&entityId=" + id + "&to=" + enc(between.toString()));
    assertEquals(1, earlier.size(), earlier::encodePrettily);
    assertEquals("create", earlier.getJsonObject(0).getString("action"));
    assertTrue(items("actorId=" + school.mentorA.id() + "&entityType=schedule&entityId=" + id).isEmpty());

    assertEquals(400, api.get("/api/audit-logs?from=yesterday", school.admin.token()).status());
    assertEquals(400, api.get("/api/audit-logs?from=2026-12-01T10:00:00", school.admin.token()).status(), "no offset");
    assertEquals(400, api.get("/api/audit-logs?actorId=abc", school.admin.token()).status());
  }

  private static JsonArray items(String query) {
    Api.Response r = api.get("/api/audit-logs?" + query, school.admin.token());
    assertEquals(200, r.status(), r::toString);
    return r.items();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
