package edu.mentoring.portal.operations;

import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Health for orchestrators: /health/live says the process answers, /health/ready whether to send it traffic")
class HealthProbesTest {
  @Test
  @DisplayName("a healthy node is live and ready without authentication; draining makes it unready at once, still live, "
    + "and /health unchanged")
  void liveAndReady() {
    try (TestPortal portal = TestPortal.start()) {
      Api api = portal.api();
      Api.Response live = api.get("/health/live", null);
      assertEquals(200, live.status(), live::toString);
      assertEquals(new JsonObject().put("status", "UP"), live.json());

      Api.Response ready = api.get("/health/ready", null);
      assertEquals(200, ready.status(), ready::toString);
      assertEquals("UP", ready.json().getString("status"));
      assertEquals("UP", ready.json().getString("database"));
      assertEquals(false, ready.json().getBoolean("draining"));
      assertEquals(new JsonObject().put("enabled", false), ready.json().getJsonObject("cluster"));

      portal.node().state().startDraining();
      Api.Response draining = api.get("/health/ready", null);
      assertEquals(503, draining.status(), draining::toString);
      assertEquals(new JsonObject().put("status", "DOWN").put("draining", true), draining.json());
      assertEquals(200, api.get("/health/live", null).status());
      Api.Response health = api.get("/health", null);
      assertEquals(200, health.status(), "/health stays as it was: it reports the database and the cluster");
      assertEquals("UP", health.json().getString("status"));
    }
  }
}
