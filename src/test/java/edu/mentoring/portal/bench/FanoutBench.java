package edu.mentoring.portal.bench;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.testing.Api;
import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan-out benchmark (run on demand: {@code scripts/bench}). Starts a portal node as its own process on a fresh
 * database, opens N bridge sockets (raw WebSocket, the official client's frames) all registered on one cohort room,
 * then a mentor creates group sessions over HTTP and each socket timestamps the {@code schedule:created} it gets.
 * Reports server heap per 1,000 sockets, create → receive latency at the LAST socket of each event (p50/p99), and,
 * in throughput mode, per-delivery latency under a steady rate. Measures steady state: it warms up until the JIT
 * compilers of both processes are quiet.
 *
 * <pre>scripts/bench --sockets 1000 --events 50
 * scripts/bench --sockets 5000 --events 50
 * scripts/bench --sockets 5000 --rate 10 --seconds 10     # 50,000 deliveries/s</pre>
 */
public final class FanoutBench {

  /** Below this share of both processes' CPU, the JIT compilers are taken as settled (steady state). */
  private static final double JIT_QUIET = 0.03;

  private final int sockets;
  private final int events;
  private final double rate;
  private final int seconds;

  private Process server;
  private int port;
  private Vertx vertx;
  private WebSocketClient wsClient;
  private final Map<Long, long[]> received = new ConcurrentHashMap<>(); // schedule id → receive times
  private final Map<Long, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
  private final java.util.concurrent.ExecutorService creators = java.util.concurrent.Executors.newFixedThreadPool(4);
  private final List<Double> httpMs = java.util.Collections.synchronizedList(new ArrayList<>());

  FanoutBench(int sockets, int events, double rate, int seconds) {
    this.sockets = sockets;
    this.events = events;
    this.rate = rate;
    this.seconds = seconds;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    FanoutBench bench = new FanoutBench(Integer.parseInt(a.getOrDefault("sockets", "1000")),
      Integer.parseInt(a.getOrDefault("events", "50")), Double.parseDouble(a.getOrDefault("rate", "0")),
      Integer.parseInt(a.getOrDefault("seconds", "10")));
    try {
      bench.run();
    } finally {
      bench.stop();
    }
    System.exit(0);
  }

  void run() throws Exception {
    TestDatabase db = TestDatabase.create();
    port = freePort();
    server = startServer(db);
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Api api = new Api(vertx, port);
    awaitHealthy(api);

    String admin = api.login("bench-admin@school.test", "bench-admin-password");
    JsonObject mentor = api.post("/api/users", admin, new JsonObject().put("email", "bench-mentor@school.test")
      .put("password", "bench-mentor-password").put("name", "Bench Mentor").put("role", "mentor")).json();
    String mentorToken = api.login("bench-mentor@school.test", "bench-mentor-password");
    long cohort = api.post("/api/cohorts", admin, new JsonObject().put("name", "Bench cohort")
      .put("mentorIds", new JsonArray().add(mentor.getLong("id")))).json().getLong("id");
    String room = "cohort:" + cohort;

    long heapBefore = serverHeapUsed(null);
    List<WebSocket> open = connect(room, mentorToken);
    // barrier: every socket has registered once it receives a warm-up event
    OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).withMinute(0).withSecond(0).withNano(0);
    AtomicInteger slot = new AtomicInteger();
    // registrations are asynchronous: warm up until one event reaches every socket
    boolean ready = false;
    for (int w = 0; w < 30 && !ready; w++) {
      try {
        createAndWait(api, mentorToken, cohort, base, slot, 5_000);
        ready = true;
      } catch (IllegalStateException notYet) {
        System.out.println("warm-up: " + notYet.getMessage());
      }
    }
    if (!ready) throw new IllegalStateException("sockets never all registered");
    createAndWait(api, mentorToken, cohort, base, slot, 10_000);
    long heapAfter = serverHeapUsed("target/bench-histogram.txt");
    // steady state, not a cold JIT: warm the whole path (HTTP, stores, event log, fan-out) until the JIT compilers
    // of both processes are quiet; a fixed 300 events left C2 using ~4 ms of CPU per event, on the cores measured
    int warmMin = Integer.getInteger("bench.warmup", 300);
    int warmMax = Integer.getInteger("bench.warmupMax", 6000);
    int warmed = 0;
    double jitShare = 1;
    int quietBatches = 0;
    while (warmed < warmMax) {
      Map<String, Long> before = bothProcessesTicks();
      for (int w = 0; w < 100; w++) createAndWait(api, mentorToken, cohort, base, slot, 30_000);
      warmed += 100;
      jitShare = jitShare(before, bothProcessesTicks());
      if (Boolean.getBoolean("bench.detail")) System.out.printf("warm-up %d: JIT %.1f%%%n", warmed, jitShare * 100);
      quietBatches = jitShare < JIT_QUIET ? quietBatches + 1 : 0;
      if (warmed >= warmMin && quietBatches == 2) break;
    }
    System.out.printf("warm-up: %d events; JIT compilers at %.1f%% of both processes' CPU over the last 100%s%n",
      warmed, jitShare * 100, quietBatches == 2 ? "" : " (not settled: the figures below include compiling)");
    System.out.printf("sockets: %d registered on %s%n", open.size(), room);
    System.out.printf("server heap: %.1f MB before, %.1f MB after; %.2f MB per 1,000 sockets%n",
      heapBefore / 1e6, heapAfter / 1e6, (heapAfter - heapBefore) / 1e6 / sockets * 1000);

    received.clear();
    counts.clear();
    sentAt.clear();
    httpMs.clear();
    Map<String, Long> threads0 = threadTicks(server.pid());
    long[] serverCpu0 = cpuTicks(server.pid());
    long[] clientCpu0 = cpuTicks(ProcessHandle.current().pid());
    if (rate <= 0) {
      List<Double> last = new ArrayList<>();
      List<Double> all = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        long id = createAndWait(api, mentorToken, cohort, base, slot, 30_000);
        long t0 = sentAt.get(id);
        long[] times = received.get(id);
        long max = Arrays.stream(times).max().orElseThrow();
        last.add((max - t0) / 1e6);
        if (Boolean.getBoolean("bench.detail")) {
          System.out.printf("%s event %d: http %.1f first %.1f last %.1f ms%n", java.time.LocalTime.now(), id,
            httpMs.get(httpMs.size() - 1),
            (Arrays.stream(times).min().orElseThrow() - t0) / 1e6, (max - t0) / 1e6);
        }
        for (long t : times) all.add((t - t0) / 1e6);
      }
      System.out.printf("one event to %d sockets, create → receive at the LAST socket over %d events: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        sockets, events, pct(last, 50), pct(last, 99), pct(last, 100));
      System.out.printf("all deliveries: p50 %.1f ms, p99 %.1f ms; the HTTP create itself: p50 %.1f ms, p99 %.1f ms%n",
        pct(all, 50), pct(all, 99), pct(httpMs, 50), pct(httpMs, 99));
      long[] serverCpu1 = cpuTicks(server.pid());
      long[] clientCpu1 = cpuTicks(ProcessHandle.current().pid());
      System.out.printf("cpu per event: server user %.2f sys %.2f ms; client user %.2f sys %.2f ms%n",
        (serverCpu1[0] - serverCpu0[0]) * 10.0 / events, (serverCpu1[1] - serverCpu0[1]) * 10.0 / events,
        (clientCpu1[0] - clientCpu0[0]) * 10.0 / events, (clientCpu1[1] - clientCpu0[1]) * 10.0 / events);
      if (Boolean.getBoolean("bench.detail")) printThreads(threads0, threadTicks(server.pid()), events);
    } else {
      int total = (int) (rate * seconds);
      long intervalNs = (long) (1e9 / rate);
      long start = System.nanoTime();
      List<Future<?>> inflight = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        long due = start + i * intervalNs;
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        inflight.add(createAsync(api, mentorToken, cohort, base, slot));
      }
      Future.all(new ArrayList<>(inflight)).await();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // every created event, including those not seen at all yet, must reach every socket
      while (System.nanoTime() < deadline && sentAt.keySet().stream()
        .anyMatch(id -> counts.get(id) == null || counts.get(id).get() < sockets)) {
        Thread.sleep(100);
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      List<Double> all = new ArrayList<>();
      long delivered = 0;
      for (Map.Entry<Long, long[]> e : received.entrySet()) {
        Long t0 = sentAt.get(e.getKey());
        if (t0 == null) continue;
        int n = counts.get(e.getKey()).get();
        delivered += n;
        for (int k = 0; k < n; k++) all.add((e.getValue()[k] - t0) / 1e6);
      }
      System.out.printf("throughput: %d events × %d sockets at %.0f events/s = %.0f deliveries/s offered; %d delivered (%.1f%%)%n",
        total, sockets, rate, rate * sockets, delivered, 100.0 * delivered / ((long) total * sockets));
      System.out.printf("sockets closed by the server during the run: %d%n", closedByServer.get());
      System.out.printf("per-delivery latency (create → receive): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %.1f s%n",
        pct(all, 50), pct(all, 99), pct(all, 100), elapsed);
    }
    open.forEach(WebSocket::close);
    db.close();
  }

  private List<WebSocket> connect(String room, String token) throws Exception {
    List<WebSocket> open = java.util.Collections.synchronizedList(new ArrayList<>());
    // a field, not a local: Vert.x closes a client's connections once the client object is garbage collected
    wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(sockets + 10)
      .setConnectTimeout(30_000));
    String register = new JsonObject().put("type", "register").put("address", room)
      .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode();
    int batch = 200;
    for (int from = 0; from < sockets; from += batch) {
      List<Future<WebSocket>> futures = new ArrayList<>();
      for (int i = from; i < Math.min(sockets, from + batch); i++) {
        futures.add(wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/eventbus/websocket")));
      }
      for (Future<WebSocket> f : futures) {
        WebSocket ws = f.await();
        ws.handler(this::onFrame);
        ws.closeHandler(v -> closedByServer.incrementAndGet());
        ws.writeTextMessage(register);
        open.add(ws);
      }
    }
    // each socket pings every 5 s from its own phase, as official clients do from their own connect time
    AtomicInteger tick = new AtomicInteger();
    vertx.setPeriodic(50, id -> {
      int t = tick.getAndIncrement() % 100;
      for (int i = t; i < open.size(); i += 100) open.get(i).writeTextMessage("{\"type\":\"ping\"}");
    });
    return open;
  }

  private static final byte[] TARGET = "\"target\":{\"type\":\"schedule\",\"id\":".getBytes();

  /** Scans the bytes for the event's schedule id: no String per frame (the client shares the server's cores). */
  private void onFrame(io.vertx.core.buffer.Buffer frame) {
    long now = System.nanoTime();
    int n = frame.length();
    int at = -1;
    outer:
    for (int i = 0; i + TARGET.length <= n; i++) {
      for (int j = 0; j < TARGET.length; j++) {
        if (frame.getByte(i + j) != TARGET[j]) continue outer;
      }
      at = i + TARGET.length;
      break;
    }
    if (at < 0) return;
    long id = 0;
    for (int i = at; i < n; i++) {
      byte b = frame.getByte(i);
      if (b < '0' || b > '9') break;
      id = id * 10 + (b - '0');
    }
    long[] times = received.computeIfAbsent(id, x -> new long[sockets]);
    int k = counts.computeIfAbsent(id, x -> new AtomicInteger()).getAndIncrement();
    if (k < times.length) times[k] = now;
  }

  private Future<Long> createAsync(Api api, String token, long cohort, OffsetDateTime base, AtomicInteger slot) {
    int s = slot.getAndIncrement();
    OffsetDateTime start = base.plusMinutes(30L * s);
    JsonObject body = new JsonObject().put("title", "Bench " + s).put("isGroupSession", true).put("cohortId", cohort)
      .put("startTime", start.toString()).put("endTime", start.plusMinutes(20).toString());
    long t0 = System.nanoTime();
    // a plain thread (Api blocks; Vert.x threads may not)
    return Future.fromCompletionStage(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      Api.Response r = api.post("/api/schedules", token, body);
      if (r.status() != 201) throw new IllegalStateException(r.toString());
      long id = r.json().getLong("id");
      sentAt.put(id, t0);
      return id;
    }, creators));
  }

  private long createAndWait(Api api, String token, long cohort, OffsetDateTime base, AtomicInteger slot,
                             long timeoutMs) throws InterruptedException {
    int s = slot.getAndIncrement();
    OffsetDateTime start = base.plusMinutes(30L * s);
    long t0 = System.nanoTime();
    Api.Response r = api.post("/api/schedules", token, new JsonObject().put("title", "Bench " + s)
      .put("isGroupSession", true).put("cohortId", cohort)
      .put("startTime", start.toString()).put("endTime", start.plusMinutes(20).toString()));
    if (r.status() != 201) throw new IllegalStateException(r.toString());
    httpMs.add((System.nanoTime() - t0) / 1e6);
    long id = r.json().getLong("id");
    sentAt.put(id, t0);
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      AtomicInteger c = counts.get(id);
      if (c != null && c.get() >= sockets) return id;
      Thread.sleep(1);
    }
    AtomicInteger c = counts.get(id);
    throw new IllegalStateException("event " + id + " reached " + (c == null ? 0 : c.get()) + " of " + sockets);
  }

  /**
   * The node as its own JVM. {@code -Xms}: the heap measurement's full GCs would otherwise shrink the heap to ~50 MB
   * (a running node never does that), and a heap that small runs a concurrent cycle with a remark pause every few s.
   */
  private Process startServer(TestDatabase db) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-Xms256m", "-Xmx1g", "-XX:+UseG1GC",
      "-cp", System.getProperty("java.class.path")));
    // extra server JVM options, e.g. BENCH_SERVER_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit"
    String extra = System.getenv().getOrDefault("BENCH_SERVER_OPTS", "");
    for (String opt : extra.trim().split("\\s+")) if (!opt.isEmpty()) cmd.add(opt);
    cmd.add("edu.mentoring.portal.bootstrap.PortalMain");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("target/bench-server.log"));
    pb.environment().put(PortalConfig.DB_URL, db.url());
    pb.environment().put(PortalConfig.JWT_SECRET, "bench-secret-bench-secret-bench-secret-0123");
    pb.environment().put(PortalConfig.HTTP_PORT, Integer.toString(port));
    pb.environment().put(PortalConfig.HTTP_HOST, "127.0.0.1");
    pb.environment().put(PortalConfig.DEMO_DATA, "false");
    pb.environment().put(PortalConfig.BCRYPT_COST, "4");
    pb.environment().put(PortalConfig.ADMIN_EMAIL, "bench-admin@school.test");
    pb.environment().put(PortalConfig.ADMIN_PASSWORD, "bench-admin-password");
    pb.environment().put(PortalConfig.DATA_DIR, Files.createTempDirectory("bench").toString());
    pb.environment().remove(PortalConfig.CONFIG_FILE); // the node must not read the developer's conf/
    return pb.start();
  }

  /**
   * Live heap of the server process: the total of a class histogram, which jcmd takes after a full GC. Exact bytes
   * of live objects, unlike the heap's "used", which counts G1 regions and moves with the heap's size. The whole
   * histogram goes to {@code saveTo} if given: where a socket's memory goes.
   */
  private long serverHeapUsed(String saveTo) throws Exception {
    String jcmd = new File(System.getProperty("java.home"), "bin/jcmd").getPath();
    Process p = new ProcessBuilder(jcmd, Long.toString(server.pid()), "GC.class_histogram").redirectErrorStream(true)
      .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    if (saveTo != null) Files.writeString(java.nio.file.Path.of(saveTo), out);
    Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
    if (!m.find()) throw new IllegalStateException("cannot read heap: " + out.lines().limit(5).toList());
    return Long.parseLong(m.group(1));
  }

  private void awaitHealthy(Api api) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      try {
        if (api.get("/health", null).status() == 200) return;
      } catch (Exception e) {
        if (!server.isAlive()) throw new IllegalStateException("server died; see target/bench-server.log");
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("server did not start");
  }

  /** utime and stime in clock ticks (1/100 s) from /proc. */
  private static long[] cpuTicks(long pid) throws IOException {
    String stat = Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** Per-thread ticks of the server and of this client, keyed by "pid tid name". */
  private Map<String, Long> bothProcessesTicks() throws IOException {
    Map<String, Long> all = new java.util.HashMap<>();
    for (long pid : new long[] {server.pid(), ProcessHandle.current().pid()}) {
      threadTicks(pid).forEach((k, v) -> all.put(pid + " " + k, v));
    }
    return all;
  }

  /** The JIT compilers' share of both processes' CPU between two snapshots (threads that ended are left out). */
  private static double jitShare(Map<String, Long> before, Map<String, Long> after) {
    long jit = 0;
    long total = 0;
    for (Map.Entry<String, Long> t : after.entrySet()) {
      long spent = t.getValue() - before.getOrDefault(t.getKey(), 0L);
      total += spent;
      if (t.getKey().contains(" C1 Compiler") || t.getKey().contains(" C2 Compiler")) jit += spent;
    }
    return jit / (double) Math.max(1, total);
  }

  /** CPU ticks (user + system) per server thread, keyed by "tid name", from /proc. */
  private static Map<String, Long> threadTicks(long pid) throws IOException {
    Map<String, Long> ticks = new java.util.HashMap<>();
    try (var tasks = Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
      for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.put(task.getFileName() + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return ticks;
  }

  /** The server threads that spent the most CPU during the measured events: where a fixed cost hides. */
  private static void printThreads(Map<String, Long> before, Map<String, Long> after, int events) {
    Map<String, Long> byName = new java.util.TreeMap<>();
    after.forEach((k, v) -> byName.merge(k.substring(k.indexOf(' ') + 1).replaceAll("[-#]?\\d+$", ""),
      v - before.getOrDefault(k, 0L), Long::sum));
    byName.entrySet().stream().filter(e -> e.getValue() > 0)
      .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
      .forEach(e -> System.out.printf("  server thread %-20s %.2f ms per event%n", e.getKey(), e.getValue() * 10.0 / events));
  }

  private static double pct(List<Double> values, int p) {
    if (values.isEmpty()) return Double.NaN;
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int idx = (int) Math.ceil(p / 100.0 * v.length) - 1;
    return v[Math.max(0, Math.min(v.length - 1, idx))];
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  void stop() {
    creators.shutdownNow();
    if (server != null) server.destroy();
    if (vertx != null) vertx.close();
  }

}
