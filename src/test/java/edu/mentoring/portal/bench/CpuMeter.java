package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/** CPU the server and this client spent over a measured phase, per operation, and the server's busiest threads. */
final class CpuMeter {
  private final long server;
  private final long[] server0;
  private final long[] client0;
  private final Map<String, Long> threads0;
  private final String database;
  private final Map<Long, Long> backends0;
  private final long t0 = System.nanoTime();

  private CpuMeter(long server, String database) {
    this.server = server;
    this.database = database;
    this.backends0 = database == null ? Map.of() : ProcessProbe.backendTicks(database);
    this.server0 = ProcessProbe.cpuTicks(server);
    this.client0 = ProcessProbe.cpuTicks(ProcessHandle.current().pid());
    this.threads0 = ProcessProbe.threadTicks(server);
  }

  static CpuMeter start(long serverPid) {
    return new CpuMeter(serverPid, null);
  }

  /** Also the CPU of the PostgreSQL backends serving {@code database}. */
  static CpuMeter start(long serverPid, String database) {
    return new CpuMeter(serverPid, database);
  }

  /** Milliseconds of CPU per operation: server and client, user and system, and the server threads that spent it. */
  JsonObject perOperation(long operations) {
    long[] s = ProcessProbe.cpuTicks(server);
    long[] c = ProcessProbe.cpuTicks(ProcessHandle.current().pid());
    double per = ProcessProbe.MS_PER_TICK / Math.max(1, operations);
    JsonObject threads = new JsonObject();
    ProcessProbe.busiestThreads(threads0, ProcessProbe.threadTicks(server), server, (int) Math.max(1, operations), 8)
      .forEach(threads::put);
    JsonObject j = new JsonObject();
    if (database != null) j.put("database", Samples.round(databaseTicks() * per));
    return j
      .put("server", Samples.round((s[0] + s[1] - server0[0] - server0[1]) * per))
      .put("serverUser", Samples.round((s[0] - server0[0]) * per))
      .put("serverSystem", Samples.round((s[1] - server0[1]) * per))
      .put("client", Samples.round((c[0] + c[1] - client0[0] - client0[1]) * per))
      .put("clientUser", Samples.round((c[0] - client0[0]) * per))
      .put("clientSystem", Samples.round((c[1] - client0[1]) * per))
      .put("busiestServerThreads", threads);
  }

  private long databaseTicks() {
    long db = 0;
    for (Map.Entry<Long, Long> b : ProcessProbe.backendTicks(database).entrySet()) {
      db += b.getValue() - backends0.getOrDefault(b.getKey(), 0L);
    }
    return db;
  }

  /** The server's CPU over the phase as a share of one core (100 = one core busy). */
  double serverPercentOfCore() {
    long[] s = ProcessProbe.cpuTicks(server);
    return percent(s[0] + s[1] - server0[0] - server0[1]);
  }

  /** The database backends' CPU over the phase as a share of one core. */
  double databasePercentOfCore() {
    return database == null ? Double.NaN : percent(databaseTicks());
  }

  private double percent(long ticks) {
    double seconds = (System.nanoTime() - t0) / 1e9;
    return ticks * ProcessProbe.MS_PER_TICK / 1000 / seconds * 100;
  }
}
