package edu.mentoring.portal.operations;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.BridgeClient;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Metrics: /metrics in Prometheus' format, behind a token or on a port of its own, with the portal's own meters")
class MetricsTest {
  private static final String TOKEN = "scrape-token-0123456789";

  @Test
  @DisplayName("a scrape shows Vert.x's HTTP, bus, pool and JVM meters and the portal's own, each moved by what "
    + "happened; without the token /metrics is 404; the metrics port serves it without one")
  void scrape() throws IOException {
    int metricsPort;
    try (ServerSocket s = new ServerSocket(0)) {
      metricsPort = s.getLocalPort();
    }
    try (TestPortal portal = TestPortal.start(Map.of(PortalConfig.METRICS_TOKEN, TOKEN,
      PortalConfig.METRICS_PORT, Integer.toString(metricsPort)))) {
      Api api = portal.api();
      School school = School.build(api);
      WebClient web = WebClient.create(portal.node().vertx());

      assertEquals(404, web.get(portal.port(), "127.0.0.1", "/metrics").send().await().statusCode(),
        "no token: nothing to see");
      assertEquals(404, web.get(portal.port(), "127.0.0.1", "/metrics").bearerTokenAuthentication("wrong-token-123456789")
        .send().await().statusCode());

      try (BridgeClient socket = BridgeClient.connect(portal.node().vertx(), portal.port())) {
        assertTrue(socket.registerAndAwait(Rooms.student(school.studentA.id()), school.studentA.token(),
          Duration.ofSeconds(5)));
        socket.register(Rooms.student(school.studentB.id()), school.studentA.token()); // not hers: refused
        assertNotNull(socket.awaitError(Duration.ofSeconds(5)));
        // a session for her: an event committed, published and delivered to her socket, and a notification
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withMinute(0).withSecond(0).withNano(0);
        Api.Response created = api.post("/api/schedules", school.mentorA.token(), new JsonObject()
          .put("title", "Measured").put("studentId", school.studentA.id())
          .put("startTime", start.toString()).put("endTime", start.plusMinutes(30).toString()));
        assertEquals(201, created.status(), created::toString);
        assertNotNull(socket.awaitMessage(Rooms.student(school.studentA.id()), Duration.ofSeconds(5)));

        // an idempotent replay, a failed sign-in, a failed bus request
        JsonObject entry = new JsonObject().put("title", "Once").put("content", "measured");
        for (int i = 0; i < 2; i++) {
          HttpResponse<Buffer> r = web.post(portal.port(), "127.0.0.1", "/api/entries")
            .bearerTokenAuthentication(school.studentA.token()).putHeader("Idempotency-Key", "metrics-key-1")
            .sendJsonObject(entry).await();
          assertEquals(201, r.statusCode(), r.bodyAsString());
        }
        assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("email", school.studentA.email())
          .put("password", "not-her-password")).status());
        assertEquals(404, api.get("/api/entries/987654321", school.studentA.token()).status());

        String text = scrapeUntil(web, portal.port(), "portal_notification_fanout_size_count");
        // Vert.x's own (vertx-micrometer-metrics) and the JVM's
        assertTrue(text.contains("vertx_http_server_requests_total{"), "HTTP server meters");
        assertTrue(text.contains("vertx_eventbus_"), "event-bus meters");
        assertTrue(text.contains("vertx_pool_"), "pool meters");
        assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM meters");
        // the portal's
        assertEquals(1.0, value(text, "portal_bridge_sockets"), "one socket on this node");
        assertEquals(1.0, value(text, "portal_bridge_rooms"), "in one room");
        assertEquals(1.0, value(text, "portal_bridge_registers_refused_total{reason=\"rejected\"}"));
        assertTrue(value(text, "portal_events_committed_total") >= 1);
        assertTrue(value(text, "portal_events_published_total{kind=\"first\"}") >= 1);
        assertTrue(value(text, "portal_events_publish_lag_seconds_count") >= 1);
        assertTrue(value(text, "portal_bridge_deliveries_total") >= 1);
        assertTrue(value(text, "portal_bridge_delivered_bytes_total") > 100);
        assertTrue(value(text, "portal_notification_fanout_size_count") >= 1);
        assertEquals(1.0, value(text, "portal_idempotent_replays_total"));
        assertEquals(1.0, value(text, "portal_signins_total{outcome=\"failed\"}"));
        assertTrue(value(text, "portal_signins_total{outcome=\"ok\"}") >= 1);
        assertEquals(1.0, value(text, "portal_bus_request_failures_total{address=\"entries.get\",code=\"4040\"}"),
          text.lines().filter(l -> l.startsWith("portal_bus")).toList()::toString);
        assertEquals(0.0, value(text, "portal_node_draining"));
      }

      HttpResponse<Buffer> own = web.get(metricsPort, "127.0.0.1", "/metrics").send().await();
      assertEquals(200, own.statusCode());
      assertTrue(own.getHeader("Content-Type").startsWith("text/plain"), own.getHeader("Content-Type"));
      assertTrue(own.bodyAsString().contains("portal_bridge_sockets"));
      assertEquals(404, web.get(metricsPort, "127.0.0.1", "/api/auth/me").send().await().statusCode());
    }
  }

  /** The fan-out runs just after its event: scrape until its meter shows up (at most 5 s). */
  private static String scrapeUntil(WebClient web, int port, String meter) {
    String text = "";
    for (int i = 0; i < 50; i++) {
      HttpResponse<Buffer> r = web.get(port, "127.0.0.1", "/metrics").bearerTokenAuthentication(TOKEN).send().await();
      assertEquals(200, r.statusCode());
      assertTrue(r.getHeader("Content-Type").startsWith("text/plain; version=0.0.4"), r.getHeader("Content-Type"));
      text = r.bodyAsString();
      if (text.contains(meter)) return text;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return text;
  }

  /** The value of one series ({@code name{labels}} exactly as scraped), or -1 when absent. */
  static double value(String text, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
