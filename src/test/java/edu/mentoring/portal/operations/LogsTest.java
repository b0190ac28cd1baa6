package edu.mentoring.portal.operations;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import edu.mentoring.portal.common.Bus;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Logs: JSON lines with ISO timestamps, an access log, one request id from HTTP over the bus into stores and audit rows, no secrets")
class LogsTest {
  @Test
  @DisplayName("every line is a JSON object with an ISO-8601 timestamp, level and logger; a request's id reaches its "
    + "access line, the store's line across the bus and its audit row; no password, token or email appears")
  void structuredAndTraced() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger bus = context.getLogger(Bus.class);
    Level busLevel = bus.getLevel();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> capture = new OutputStreamAppender<>();
    capture.setContext(context);
    capture.setName("logs-test");
    capture.setEncoder(LogSetup.encoder(context, LogSetup.JSON));
    capture.setOutputStream(out);
    capture.start();
    root.addAppender(capture);
    bus.setLevel(Level.DEBUG); // the store side's answer of every bus request
    String email;
    String token;
    List<String> lines;
    String traced = "trace-" + RequestIds.fresh();
    String traced404 = "trace-" + RequestIds.fresh();
    try (TestPortal portal = TestPortal.start()) {
      Api api = portal.api();
      School school = School.build(api);
      email = school.studentA.email();
      token = school.studentA.token();
      WebClient web = WebClient.create(portal.node().vertx());

      // a command with the proxy's request id: answered with it, and its audit row keeps it
      OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(5).withMinute(0).withSecond(0).withNano(0);
      HttpResponse<Buffer> created = web.post(portal.port(), "127.0.0.1", "/api/schedules")
        .bearerTokenAuthentication(school.mentorA.token()).putHeader(RequestIds.HTTP_HEADER, traced)
        .sendJsonObject(new JsonObject().put("title", "Traced").put("studentId", school.studentA.id())
          .put("startTime", start.toString()).put("endTime", start.plusMinutes(30).toString())).await();
      assertEquals(201, created.statusCode(), created.bodyAsString());
      assertEquals(traced, created.getHeader(RequestIds.HTTP_HEADER));
      long id = created.bodyAsJsonObject().getLong("id");
      assertEquals(1, portal.database().count("SELECT count(*) FROM audit_logs WHERE entity_type = 'schedule'"
        + " AND entity_id = " + id + " AND request_id = '" + traced + "'"), "the audit row carries the request id");
      JsonObject audit = api.get("/api/audit-logs?entityType=schedule&entityId=" + id, school.admin.token()).items()
        .getJsonObject(0);
      assertEquals(traced, audit.getString("requestId"));

      // many at once: each row keeps its own request's id (the id lives on each request's context, not a shared one)
      List<io.vertx.core.Future<HttpResponse<Buffer>>> burst = new java.util.ArrayList<>();
      List<String> ids = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String rid = "burst-" + i + "-" + RequestIds.fresh();
        ids.add(rid);
        OffsetDateTime at = start.plusDays(1).plusHours(i);
        burst.add(web.post(portal.port(), "127.0.0.1", "/api/schedules")
          .bearerTokenAuthentication(school.mentorA.token()).putHeader(RequestIds.HTTP_HEADER, rid)
          .sendJsonObject(new JsonObject().put("title", "Burst " + i).put("studentId", school.studentA.id())
            .put("startTime", at.toString()).put("endTime", at.plusMinutes(30).toString())));
      }
      for (int i = 0; i < burst.size(); i++) {
        HttpResponse<Buffer> r = burst.get(i).await();
        assertEquals(201, r.statusCode(), r.bodyAsString());
        assertEquals(ids.get(i), r.getHeader(RequestIds.HTTP_HEADER));
        assertEquals(1, portal.database().count("SELECT count(*) FROM audit_logs WHERE entity_type = 'schedule'"
          + " AND entity_id = " + r.bodyAsJsonObject().getLong("id") + " AND request_id = '" + ids.get(i) + "'"),
          "row of " + ids.get(i));
      }

      // a query the store answers "not found": its line (logged on the store's side of the bus) carries the id
      HttpResponse<Buffer> missing = web.get(portal.port(), "127.0.0.1", "/api/entries/987654321")
        .bearerTokenAuthentication(token).putHeader(RequestIds.HTTP_HEADER, traced404).send().await();
      assertEquals(404, missing.statusCode());
      // without an id of the client's, the node makes one
      HttpResponse<Buffer> plain = web.get(portal.port(), "127.0.0.1", "/api/auth/me").bearerTokenAuthentication(token)
        .send().await();
      String made = plain.getHeader(RequestIds.HTTP_HEADER);
      assertNotNull(made);
      assertTrue(made.matches("[0-9a-f]{32}"), made);
      // a header that is not a tame id is replaced, never logged as sent
      HttpResponse<Buffer> hostile = web.get(portal.port(), "127.0.0.1", "/api/auth/me").bearerTokenAuthentication(token)
        .putHeader(RequestIds.HTTP_HEADER, "x\" injected {}").send().await();
      assertTrue(hostile.getHeader(RequestIds.HTTP_HEADER).matches("[0-9a-f]{32}"));
    } finally {
      root.detachAppender(capture);
      capture.stop();
      bus.setLevel(busLevel);
    }
    lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.size() > 20, "the node logged: " + lines.size());
    for (String line : lines) {
      JsonObject json = new JsonObject(line); // every line is one JSON object
      OffsetDateTime.parse(json.getString("@timestamp"), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      assertNotNull(json.getString("level"), line);
      assertNotNull(json.getString("logger_name"), line);
      assertNotNull(json.getString("message"), line);
    }
    List<JsonObject> json = lines.stream().map(JsonObject::new).toList();
    assertTrue(json.stream().anyMatch(j -> "access".equals(j.getString("logger_name")) && traced.equals(j.getString("requestId"))
        && j.getString("message").startsWith("POST /api/schedules 201 ")),
      "the access line of the traced request");
    assertTrue(json.stream().anyMatch(j -> j.getString("logger_name").endsWith(".Bus") && traced404.equals(j.getString("requestId"))
        && j.getString("message").equals("entries.get answered not_found")),
      "the store's line across the bus carries the id of the request it served");
    String all = String.join("\n", lines);
    assertFalse(all.contains(School.PASSWORD), "no password in any line");
    assertFalse(all.contains(TestPortal.ADMIN_PASSWORD), "no password in any line");
    assertFalse(all.contains(token), "no token in any line");
    assertFalse(all.contains(token.substring(token.lastIndexOf('.') + 1)), "not even a token's signature");
    assertFalse(all.contains(email), "no email address in any line");
    assertFalse(all.contains(TestPortal.ADMIN_EMAIL), "no email address in any line");
    assertFalse(all.contains("injected"), "a client's header is not written into the log");
  }
}
