package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (a) A real cohort: N distinct students, each on their own socket with their own token on the four rooms the UI
 * joins, and their mentor on theirs; the mentor creates group sessions over HTTP one after the other. Per event:
 * create → receive at the last socket, at every socket, at the mentor's, and each student's bell. Every event at
 * every socket, or the missing are reported. The same client then drives the baselines with the same N and events.
 */
final class CohortScenario extends Scenario {
  static final Opt STUDENTS = Opt.of("students", 1000, "students in the cohort, each on their own socket");
  static final Opt EVENTS = Opt.of("events", 100, "group sessions measured, one after the other");
  static final Opt BASELINES = Opt.of("baselines", "socketio,raw", "baselines run the same way: socketio, raw, none");
  static final Opt TIMEOUT = Opt.of("event-timeout-ms", 10_000, "how long one event may take to reach every socket");
  static final Opt DETAIL = Opt.of("detail", "off",
    "on: print each event (HTTP reply, first and last socket, bells) and keep them in the JSON");

  CohortScenario() {
    super("cohort", "N students in one cohort on their own sockets; group sessions one after the other: last-socket, "
      + "per-socket and bell latency, every delivery checked; Socket.IO and raw Vert.x baselines",
      STUDENTS, EVENTS, BASELINES, TIMEOUT, DETAIL, Warmup.OPTION, FanoutTargets.SIGN_UP_CONCURRENCY,
      FanoutTargets.READ_AFTER_WARMUP);
  }

  @Override
  void run(BenchRun run) throws Exception {
    Settings s = run.settings();
    int students = s.integer(STUDENTS);
    int events = s.integer(EVENTS);
    long timeout = s.integer(TIMEOUT);
    String warmup = s.text(Warmup.OPTION);
    boolean detail = s.text(DETAIL).equals("on");
    Map<String, JsonObject> figures = new LinkedHashMap<>();
    for (FanoutTarget target : FanoutTargets.of(run, BASELINES)) {
      try (target) {
        figures.put(target.name(), measure(target, students, events, timeout, warmup, detail));
      }
    }
    Report report = run.report();
    figures.forEach((name, f) -> {
      if (name.equals("portal")) f.forEach(e -> report.result(e.getKey(), e.getValue()));
      else report.baseline(name, f);
    });
    Table t = new Table("cohort: " + students + " students, " + events + " group sessions one after the other (ms)",
      "target", "sockets", "last p50", "last p99", "last max", "socket p50", "socket p99", "bell p50", "bell p99",
      "missing", "heap MB/1000", "server cpu ms/event", "db cpu ms/event");
    figures.forEach((name, f) -> t.row(name, f.getInteger("sockets"), p(f, "lastSocket", "p50"),
      p(f, "lastSocket", "p99"), p(f, "lastSocket", "max"), p(f, "perSocket", "p50"), p(f, "perSocket", "p99"),
      p(f, "bell", "p50"), p(f, "bell", "p99"), f.getJsonObject("missing").getInteger("total"),
      f.getDouble("heapPer1000MB"), f.getJsonObject("cpuPerEventMs").getDouble("server"),
      f.getJsonObject("cpuPerEventMs").getDouble("database")));
    report.print(t);
    Ratios.print(report, figures, List.of("lastSocket.p50", "lastSocket.p99", "perSocket.p50", "perSocket.p99",
      "heapPer1000MB", "rssPer1000MB"));
  }

  /** Milliseconds from {@code from} to {@code to}, null when {@code to} never happened. */
  private static Double ms(long from, long to) {
    return to == 0 || to == Long.MAX_VALUE ? null : Samples.round((to - from) / 1e6);
  }

  static Double p(JsonObject f, String figure, String stat) {
    JsonObject o = f.getJsonObject(figure);
    return o == null ? null : o.getDouble(stat);
  }

  private static JsonObject measure(FanoutTarget target, int students, int events, long timeout, String warmup,
                                    boolean detail) throws Exception {
    FanoutSession session = FanoutSession.open(target, students, warmup);
    System.out.printf("%s: measuring %d events ...%n", target.name(), events);
    Samples last = new Samples();
    Samples first = new Samples();
    Samples perSocket = new Samples();
    Samples mentor = new Samples();
    Samples bell = new Samples();
    Samples http = new Samples();
    Missing missing = new Missing();
    JsonArray perEvent = new JsonArray();
    CpuMeter cpu = CpuMeter.start(target.pid(), target.database());
    for (int e = 0; e < events; e++) {
      FanoutSession.Created c = session.createAndWait(timeout);
      http.addNanos(c.sentNanos(), c.replyNanos());
      long max = 0;
      long min = Long.MAX_VALUE;
      for (int i = 0; i < students; i++) {
        long at = c.arrivals().at(i);
        if (at == 0) {
          missing.add("event", "schedule " + c.target() + " at student socket " + i);
          continue;
        }
        perSocket.addNanos(c.sentNanos(), at);
        max = Math.max(max, at);
        min = Math.min(min, at);
      }
      if (c.arrivals().studentsReached() == students) {
        last.addNanos(c.sentNanos(), max);
        first.addNanos(c.sentNanos(), min);
      }
      long m = c.arrivals().at(students);
      if (m == 0) missing.add("mentor", "schedule " + c.target() + " at the mentor's socket");
      else mentor.addNanos(c.sentNanos(), m);
      long lastBell = 0;
      if (target.notifies()) {
        for (int i = 0; i < students; i++) {
          long at = c.bells() == null ? 0 : c.bells().at(i);
          if (at == 0) missing.add("bell", "bell of schedule " + c.target() + " for student socket " + i);
          else bell.addNanos(c.sentNanos(), at);
          lastBell = Math.max(lastBell, at);
        }
      }
      if (detail) {
        JsonObject d = new JsonObject().put("schedule", c.target()).put("httpMs", ms(c.sentNanos(), c.replyNanos()))
          .put("firstMs", ms(c.sentNanos(), min)).put("lastMs", ms(c.sentNanos(), max))
          .put("lastBellMs", ms(c.sentNanos(), lastBell)).put("reached", c.arrivals().studentsReached());
        perEvent.add(d);
        System.out.println("  " + d.encode());
      }
    }
    JsonObject f = session.setup.copy()
      .put("students", students).put("events", events)
      .put("lastSocket", last.summary()).put("firstSocket", first.summary()).put("perSocket", perSocket.summary())
      .put("mentorSocket", mentor.summary()).put("http", http.summary())
      .put("bell", target.notifies() ? bell.summary().put("expected", (long) students * events) : null)
      .put("missing", missing.toJson())
      .put("cpuPerEventMs", cpu.perOperation(events))
      .put("socketsClosedByServer", session.recorder.closed.get())
      .put("errorFrames", session.recorder.errors.get())
      .put("client", target.clientProblems()).put("frames", session.recorder.framesByType())
      .put("server", target.describe());
    if (detail) f.put("perEvent", perEvent);
    System.out.printf("%s: last socket p50 %.1f p99 %.1f ms; every socket p50 %.1f p99 %.1f ms; missing %d%n",
      target.name(), last.p(50), last.p(99), perSocket.p(50), perSocket.p(99), missing.total());
    return f;
  }
}
