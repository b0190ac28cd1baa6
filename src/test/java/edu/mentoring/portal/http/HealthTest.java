package edu.mentoring.portal.http;

import edu.mentoring.portal.bootstrap.EmbeddedDatabase;
import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.bootstrap.PortalNode;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Health: /health tells a load balancer whether this node can serve")
class HealthTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("a healthy node answers 200 {status: UP, database: UP} without authentication")
  void up() {
    try (TestPortal portal = TestPortal.start()) {
      Api.Response r = portal.api().get("/health", null);
      assertEquals(200, r.status(), r::toString);
      assertTrue(r.contentType().startsWith("application/json"));
      assertEquals("UP", r.json().getString("status"));
      assertEquals("UP", r.json().getString("database"));
      assertEquals(new JsonObject().put("enabled", false), r.json().getJsonObject("cluster"));
    }
  }

  @Test
  @DisplayName("when the database goes away /health turns 503 and the node keeps answering JSON 503s, not hanging")
  void databaseDown() {
    EmbeddedDatabase pg = EmbeddedDatabase.start(dir.resolve("db"));
    PortalNode node = null;
    boolean stopped = false;
    try {
      Map<String, String> settings = new HashMap<>();
      settings.put(PortalConfig.DB_URL, pg.url(EmbeddedDatabase.DATABASE));
      settings.put(PortalConfig.HTTP_HOST, "127.0.0.1");
      settings.put(PortalConfig.HTTP_PORT, "0");
      settings.put(PortalConfig.JWT_SECRET, TestPortal.SECRET);
      settings.put(PortalConfig.BCRYPT_COST, "4");
      settings.put(PortalConfig.HTTP_INSTANCES, "1");
      settings.put(PortalConfig.DATA_DIR, dir.resolve("data").toString());
      node = PortalNode.start(PortalConfig.from(settings));
      Api api = new Api(node.vertx(), node.httpPort());
      Api.Response up = api.get("/health", null);
      assertEquals(200, up.status(), up::toString);
      assertEquals("UP", up.json().getString("database"));

      pg.close();
      stopped = true;

      Api.Response down = null;
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline) {
        down = api.get("/health", null);
        if (down.status() == 503) break;
        pause();
      }
      assertEquals(503, down.status(), String.valueOf(down));
      assertEquals("DOWN", down.json().getString("status"));
      assertEquals("DOWN", down.json().getString("database"));
      Api.Response ready = api.get("/health/ready", null);
      assertEquals(503, ready.status(), "not ready without its database: " + ready);
      assertEquals("DOWN", ready.json().getString("database"));
      assertEquals(200, api.get("/health/live", null).status(), "alive all the same");

      long t0 = System.nanoTime();
      // with an invitation (the default PORTAL_SELF_REGISTRATION) the sign-up gets as far as the database
      Api.Response register = api.post("/api/auth/register", null, new JsonObject()
        .put("email", "nobody@school.test").put("password", "password-123").put("name", "Nobody")
        .put("invitation", "some-invitation-code"));
      assertTrue(System.nanoTime() - t0 < 15_000_000_000L, "answered in time, not after a hang");
      assertEquals(503, register.status(), register::toString);
      assertTrue(register.contentType().startsWith("application/json"), register.contentType());
      assertEquals("unavailable", register.errorCode(), register::toString);
      HttpHygieneTest.assertNoLeak(register);
      // requests that need no database still work: the node is alive
      assertEquals(401, api.get("/api/auth/me", null).status());
      assertEquals(503, api.get("/health", null).status());
    } finally {
      if (node != null) node.stop();
      if (!stopped) pg.close();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
