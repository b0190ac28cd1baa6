package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every benchmark scenario, reduced to tens of sockets and seconds (no baselines; pgbench only where installed), so
 * the harness cannot rot: each must write its JSON, with the run's facts, sane figures and no delivery missing.
 */
@DisplayName("Benchmark harness: every scenario runs end to end, reduced")
@Timeout(180)
class BenchSmokeTest {
  private static final List<String> COMMON = List.of("--out", "target/bench-smoke");

  /** The scenario's whole JSON, checked for the facts of the run. */
  private static JsonObject runJson(String scenario, String... options) throws Exception {
    List<String> args = new ArrayList<>(COMMON);
    args.addAll(List.of(options));
    List<Path> written = BenchMain.run(scenario, args);
    assertEquals(1, written.size());
    JsonObject json = new JsonObject(Files.readString(written.get(0)));
    assertEquals(scenario, json.getString("scenario"));
    assertTrue(json.getJsonObject("machine").getInteger("cores") > 0, "machine");
    assertNotNull(json.getJsonObject("jvm").getString("version"), "JVM version");
    assertNotNull(json.getJsonObject("postgres").getString("version"), "PostgreSQL version");
    assertFalse(json.getJsonObject("settings").isEmpty(), "settings");
    assertFalse(json.getJsonArray("tables").isEmpty(), "tables");
    return json;
  }

  /** The portal's figures of the scenario. */
  private static JsonObject run(String scenario, String... options) throws Exception {
    return runJson(scenario, options).getJsonObject("results");
  }

  @Test
  @DisplayName("cohort: every session reaches every student's socket and the mentor's, and rings every bell")
  void cohort() throws Exception {
    JsonObject r = run("cohort", "--students", "20", "--events", "5", "--warmup", "off", "--baselines", "none");
    assertEquals(0, r.getJsonObject("missing").getInteger("total"), r.getJsonObject("missing").encode());
    assertEquals(5, r.getJsonObject("lastSocket").getInteger("count"));
    assertEquals(100, r.getJsonObject("perSocket").getInteger("count"));
    assertEquals(100, r.getJsonObject("bell").getInteger("count"));
    assertTrue(r.getJsonObject("lastSocket").getDouble("p99") > 0);
    assertTrue(r.getDouble("heapPer1000MB") > 0);
  }

  @Test
  @DisplayName("sustained: at a low rate every delivery is made, and the steps are reported")
  void sustained() throws Exception {
    JsonObject r = run("sustained", "--students", "20", "--rates", "5,10", "--step-seconds", "2",
      "--deadline-seconds", "5", "--warmup", "off", "--baselines", "none");
    JsonObject first = r.getJsonArray("steps").getJsonObject(0);
    assertEquals(0L, first.getLong("lost"), first.encode());
    assertEquals(first.getLong("expected"), first.getLong("delivered"));
    assertTrue(first.getLong("achievedPerSecond") > 0);
  }

  @Test
  @DisplayName("writes: 1:1 creates succeed in both loops; pgbench runs both scripts where it is installed")
  void writes() throws Exception {
    JsonObject json = runJson("writes", "--mentors", "2", "--students-per-mentor", "2", "--connections", "8",
      "--seconds", "2", "--open-seconds", "2", "--pgbench-seconds", "2", "--warmup", "off");
    JsonObject r = json.getJsonObject("results");
    JsonObject closed = r.getJsonObject("closedLoop");
    assertTrue(closed.getDouble("createsPerSecond") > 0);
    assertEquals(closed.getJsonObject("statuses").fieldNames(), Set.of("201"), closed.encode());
    assertEquals(r.getJsonObject("openLoop").getJsonObject("statuses").fieldNames(), Set.of("201"));
    JsonObject create = json.getJsonObject("baselines").getJsonObject("pgbenchCreate");
    if (Pgbench.find() != null) {
      assertTrue(json.getJsonObject("baselines").getJsonObject("pgbenchInsert").getDouble("tps") > 0);
      assertTrue(create.getDouble("tps") > 0, create.encode());
      assertTrue(create.getLong("sessionsWritten") > 0, "the create script writes sessions");
    }
  }

  @Test
  @DisplayName("schoolday: every event reaches every recipient the contract names, once per room, and every bell rings")
  void schoolday() throws Exception {
    JsonObject r = run("schoolday", "--cohorts", "2", "--cohort-size", "5", "--rate", "20", "--seconds", "3",
      "--warmup", "off");
    JsonObject d = r.getJsonObject("deliveries");
    assertEquals(0, r.getInteger("writesFailed"), r.getJsonObject("http").encode());
    assertTrue(d.getLong("expected") > 0);
    assertEquals(0L, d.getLong("missing"), d.getJsonObject("problems").encode());
    assertEquals(0L, d.getLong("duplicates"), d.getJsonObject("problems").encode());
    assertEquals(0L, d.getLong("unexpected"), d.getJsonObject("problems").encode());
    assertEquals(0L, d.getJsonObject("notifications").getLong("missing"), d.getJsonObject("problems").encode());
  }

  @Test
  @DisplayName("idle: sockets stay open while idle and the heap, RSS and CPU are measured")
  void idle() throws Exception {
    JsonObject r = run("idle", "--students", "30", "--cohort-size", "10", "--idle-seconds", "2",
      "--settle-seconds", "1");
    assertEquals(30, r.getInteger("sockets"));
    assertEquals(0, r.getInteger("socketsClosedWhileIdle"));
    assertTrue(r.getLong("heapAfterBytes") > 0);
    assertTrue(r.getDouble("idleCpuPercentOfCore") >= 0);
  }

  @Test
  @DisplayName("storm: every dropped client comes back whole and has the sessions created while it was away")
  void storm() throws Exception {
    JsonObject r = run("storm", "--sockets", "33", "--cohort-size", "10", "--outage-writes", "2",
      "--deadline-seconds", "30");
    assertEquals(0, r.getInteger("notWhole"), r.encode());
    assertEquals(r.getInteger("sockets"), r.getJsonObject("perClientMs").getInteger("count"));
    assertEquals(0, r.getJsonObject("missedEvents").getInteger("total"), r.getJsonObject("missedEvents").encode());
  }

  @Test
  @DisplayName("cluster: entries written through both nodes reach the sockets on both, and their order is counted")
  void cluster() throws Exception {
    JsonObject r = run("cluster", "--writers", "4", "--entries", "20");
    JsonObject d = r.getJsonObject("deliveries");
    assertEquals(20, r.getInteger("entries"));
    assertEquals(0L, d.getLong("missing"), d.getJsonObject("problems").encode());
    assertNotNull(r.getJsonObject("order").getInteger("idsLowerThanOneAlreadyReceived"));
  }
}
