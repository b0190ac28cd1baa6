package edu.mentoring.portal.http;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Security headers: every page and API answer forbids inline script, framing, sniffing and referrers")
class SecurityHeadersTest {
  private static TestPortal portal;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    portal = TestPortal.start();
    client = portal.node().vertx().createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false));
  }

  @AfterAll
  static void stop() {
    portal.close();
  }

  /**
   * One request on a connection of its own, bounded as a whole: twice in full runs a request here on a kept-alive
   * client waited for ever with no connection open at all (cause not found), so each request now gets a fresh
   * connection, and an answer that never comes fails naming the path instead of hanging the suite.
   */
  static MultiMap headers(TestPortal on, HttpClient with, HttpMethod method, String path) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(on.port())
      .setURI(path).setConnectTimeout(10_000).setIdleTimeout(10_000)
      .putHeader(io.vertx.core.http.HttpHeaders.CONNECTION, io.vertx.core.http.HttpHeaders.CLOSE);
    try {
      return with.request(options).compose(req -> req.send()).compose(r -> r.body().map(b -> r.headers()))
        .timeout(20, java.util.concurrent.TimeUnit.SECONDS).await();
    } catch (RuntimeException e) {
      throw new AssertionError(method + " " + path + ": " + e, e);
    }
  }

  /** Pages, scripts, the API's successes and failures, the health check, the SockJS info and a missing page. */
  static final List<String> PATHS = List.of("/", "/index.html", "/api.html", "/app.js", "/openapi.json", "/health",
    "/api/auth/me", "/api/no-such-route", "/no-such-page", "/eventbus/info");

  @Test
  @DisplayName("every kind of answer carries the CSP (no inline script, frame-ancestors 'none'), nosniff, Referrer-Policy and Permissions-Policy")
  void everyAnswer() {
    for (String path : PATHS) {
      MultiMap h = headers(portal, client, HttpMethod.GET, path);
      String csp = h.get("Content-Security-Policy");
      assertNotNull(csp, path + ": no Content-Security-Policy");
      assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
      assertTrue(csp.contains("script-src 'self'"), path + ": " + csp);
      assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), path + ": " + csp);
      assertTrue(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"), path + ": " + csp);
      assertEquals("nosniff", h.get("X-Content-Type-Options"), path);
      assertEquals("no-referrer", h.get("Referrer-Policy"), path);
      assertEquals("DENY", h.get("X-Frame-Options"), path);
      assertNotNull(h.get("Permissions-Policy"), path);
      assertTrue(h.get("Permissions-Policy").contains("camera=()"), path);
      assertNull(h.get("Strict-Transport-Security"), path + ": HSTS only when configured as served over TLS");
    }
  }

  @Test
  @DisplayName("no page in webroot has an inline script or style block, so the CSP breaks none of them")
  void noInlineScript() throws Exception {
    Pattern script = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    Pattern handler = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    try (var pages = Files.list(Path.of("webroot"))) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
        String html = Files.readString(page);
        Matcher m = script.matcher(html);
        assertFalse(m.find(), page + " has an inline script: " + (m.hitEnd() ? "" : m.group()));
        assertFalse(html.toLowerCase().contains("<style"), page + " has an inline style block");
        assertFalse(handler.matcher(html).find(), page + " has an inline event handler");
      }
    }
  }

  @Test
  @DisplayName("with PORTAL_HSTS=true (served over TLS) every answer also carries Strict-Transport-Security")
  void hstsWhenConfigured() {
    try (TestPortal tls = TestPortal.start(Map.of(PortalConfig.HSTS, "true"))) {
      HttpClient c = tls.node().vertx().createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false));
      for (String path : List.of("/", "/api/auth/me", "/health")) {
        String hsts = headers(tls, c, HttpMethod.GET, path).get("Strict-Transport-Security");
        assertNotNull(hsts, path);
        assertTrue(hsts.startsWith("max-age="), hsts);
      }
    }
  }
}
