package edu.mentoring.portal.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (b) Sustained fan-out: the world of {@code cohort} (default 5,000 students), group sessions created at fixed
 * rates, each for a few seconds, rising until the server no longer keeps up. Per rate: deliveries/s offered and
 * achieved, lost (never at a socket within the deadline), latency from the create's due time; the saturation point
 * is the highest rate every delivery made it at that rate. The Socket.IO baseline at the same rates.
 */
final class SustainedScenario extends Scenario {
  static final Opt STUDENTS = Opt.of("students", 5000, "students in the cohort, each on their own socket");
  static final Opt RATES = Opt.of("rates", "2,5,10,15,20,30,40,60", "create rates (sessions/s), in order");
  static final Opt STEP = Opt.of("step-seconds", 5, "how long each rate runs");
  static final Opt DEADLINE = Opt.of("deadline-seconds", 10, "after a step, how long a delivery may still arrive");
  static final Opt PAST = Opt.of("steps-past-saturation", 1, "rates still run once one saturated");
  static final Opt BASELINES = Opt.of("baselines", "socketio", "baselines at the same rates: socketio, raw, none");
  /** Below this share of the offered deliveries/s, or with any delivery lost, a rate is past saturation. */
  private static final double KEEPS_UP = 0.95;

  SustainedScenario() {
    super("sustained", "the cohort world at fixed create rates up to saturation: deliveries/s offered vs "
      + "achieved, lost, p50/p99; Socket.IO baseline at the same rates",
      STUDENTS, RATES, STEP, DEADLINE, PAST, BASELINES, Warmup.OPTION, FanoutTargets.SIGN_UP_CONCURRENCY,
      FanoutTargets.READ_AFTER_WARMUP);
  }

  @Override
  void run(BenchRun run) throws Exception {
    Settings s = run.settings();
    int students = s.integer(STUDENTS);
    List<Double> rates = s.numbers(RATES);
    double step = s.number(STEP);
    double deadline = s.number(DEADLINE);
    int past = s.integer(PAST);
    String warmup = s.text(Warmup.OPTION);
    Map<String, JsonObject> figures = new LinkedHashMap<>();
    for (FanoutTarget target : FanoutTargets.of(run, BASELINES)) {
      try (target) {
        FanoutSession session = FanoutSession.open(target, students, warmup);
        figures.put(target.name(), steps(session, rates, step, deadline, past).put("setup", session.setup)
          .put("client", target.clientProblems())
          .put("server", target.describe()));
      }
    }
    Report report = run.report();
    Table t = new Table("sustained: " + students + " students, " + step + " s per rate (deliveries of schedule:created"
      + " to the students' sockets; ms from each create's due time)", "target", "creates/s", "offered/s",
      "achieved/s", "lost", "p50", "p99", "max", "http p99", "bells/s", "saturated");
    figures.forEach((name, f) -> {
      if (name.equals("portal")) f.forEach(e -> report.result(e.getKey(), e.getValue()));
      else report.baseline(name, f);
      for (Object o : f.getJsonArray("steps")) {
        JsonObject st = (JsonObject) o;
        t.row(name, st.getDouble("rate"), st.getLong("offeredPerSecond"), st.getLong("achievedPerSecond"),
          st.getLong("lost"), CohortScenario.p(st, "latency", "p50"), CohortScenario.p(st, "latency", "p99"),
          CohortScenario.p(st, "latency", "max"), CohortScenario.p(st, "http", "p99"), st.getLong("bellsPerSecond"),
          st.getBoolean("saturated") ? "yes" : "no");
      }
    });
    report.print(t);
    Table sat = new Table("saturation point: the highest rate with every delivery made and >= 95% of the offered rate",
      "target", "creates/s", "deliveries/s", "");
    figures.forEach((name, f) -> sat.row(name, f.getDouble("saturationRate"),
      f.getLong("saturationDeliveriesPerSecond"), f.getBoolean("saturationReached") ? ""
        : "not saturated at the highest rate run: the point is higher"));
    report.print(sat);
    Ratios.print(report, figures, List.of("saturationRate", "saturationDeliveriesPerSecond"));
  }

  private static JsonObject steps(FanoutSession session, List<Double> rates, double stepSeconds,
                                  double deadlineSeconds, int pastSaturation) throws InterruptedException {
    JsonArray steps = new JsonArray();
    Double saturation = null;
    long saturationDeliveries = 0;
    int past = -1;
    for (double rate : rates) {
      JsonObject step = step(session, rate, stepSeconds, deadlineSeconds);
      steps.add(step);
      System.out.printf("%s: %.0f creates/s → %d of %d deliveries/s, lost %d, p99 %s ms%n", session.target.name(),
        rate, step.getLong("achievedPerSecond"), step.getLong("offeredPerSecond"), step.getLong("lost"),
        step.getJsonObject("latency").getValue("p99"));
      if (step.getBoolean("saturated")) {
        if (++past >= pastSaturation) break;
      } else if (past < 0) {
        saturation = rate;
        saturationDeliveries = step.getLong("achievedPerSecond");
      }
      Thread.sleep(1_000); // let the server drain before the next rate
    }
    // no step saturated: the saturation point is above the highest rate run
    return new JsonObject().put("steps", steps).put("saturationRate", saturation).put("saturationReached", past >= 0)
      .put("saturationDeliveriesPerSecond", saturation == null ? null : saturationDeliveries);
  }

  private static JsonObject step(FanoutSession session, double rate, double seconds, double deadlineSeconds)
    throws InterruptedException {
    FanoutRecorder rec = session.recorder;
    int n = session.students;
    rec.clear();
    long t0 = System.nanoTime();
    List<OpenLoop.Started<Long>> started = OpenLoop.run(rate, seconds,
      (k, due) -> session.target.createGroupSession(session.slots.next()));
    long end = t0 + (long) (seconds * 1e9);
    long deadline = Math.max(end, System.nanoTime()) + (long) (deadlineSeconds * 1e9);
    int unanswered = OpenLoop.awaitAll(started, deadline);
    // every delivery of every answered create, until each is complete or the deadline passes
    while (System.nanoTime() < deadline && !started.stream().filter(OpenLoop.Started::succeeded)
      .allMatch(st -> rec.arrivals(st.value()).studentsReached() == n && bellsIn(session, st))) {
      Thread.sleep(5);
    }
    Samples latency = new Samples();
    Samples http = new Samples();
    long delivered = 0;
    long bells = 0;
    long last = t0;
    int ok = 0;
    for (OpenLoop.Started<Long> st : started) {
      if (!st.succeeded()) continue;
      ok++;
      http.add(st.ms());
      Arrivals a = rec.arrivals(st.value());
      Arrivals b = session.target.notifies() ? rec.bells(st.value()) : null;
      for (int i = 0; i < n; i++) {
        long at = a.at(i);
        if (at != 0 && at <= deadline) {
          delivered++;
          latency.addNanos(st.dueNanos, at);
          last = Math.max(last, at);
        }
        if (b != null && b.at(i) != 0 && b.at(i) <= deadline) bells++;
      }
    }
    double span = Math.max(seconds, (last - t0) / 1e9);
    long expected = (long) ok * n;
    long offered = Math.round(rate * n);
    long achieved = Math.round(delivered / span);
    int failed = started.size() - ok - unanswered;
    boolean saturated = delivered < expected || failed > 0 || unanswered > 0 || achieved < KEEPS_UP * offered;
    return new JsonObject().put("rate", rate).put("creates", started.size()).put("createsFailed", failed)
      .put("createsUnanswered", unanswered).put("offeredPerSecond", offered).put("achievedPerSecond", achieved)
      .put("expected", expected).put("delivered", delivered).put("lost", expected - delivered)
      .put("spanSeconds", Samples.round(span)).put("latency", latency.summary()).put("http", http.summary())
      .put("bellsPerSecond", session.target.notifies() ? Math.round(bells / span) : null)
      .put("bellsLost", session.target.notifies() ? expected - bells : null)
      .put("saturated", saturated);
  }

  private static boolean bellsIn(FanoutSession session, OpenLoop.Started<Long> st) {
    if (!session.target.notifies()) return true;
    Arrivals b = session.recorder.bells(st.value());
    return b != null && b.studentsReached() == session.students;
  }
}
