package edu.mentoring.portal.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code scripts/bench <scenario|all> [--option value ...]}: runs scenarios against a portal node started as its own
 * process on a fresh database, measured only through its public surfaces; each prints its tables and writes its
 * JSON. {@code scripts/bench --help} lists the scenarios and their options.
 */
public final class BenchMain {
  static final List<Scenario> SCENARIOS = List.of(new CohortScenario(), new SustainedScenario(),
    new WritesScenario(), new SchooldayScenario(), new IdleScenario(),
    new StormScenario(), new ClusterScenario());

  private BenchMain() {
  }

  public static void main(String[] args) {
    int status;
    try {
      status = args.length == 0 || args[0].equals("--help") || args[0].equals("-h") ? help()
        : run(args[0], List.of(args).subList(1, args.length)).isEmpty() ? 1 : 0;
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      status = 2;
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  /** Runs one scenario (or all, one after the other); the JSON files written. */
  public static List<Path> run(String which, List<String> args) throws Exception {
    Settings settings = Settings.parse(args);
    List<Scenario> chosen = which.equals("all") ? SCENARIOS : List.of(find(which));
    Set<Opt> known = new LinkedHashSet<>(BenchRun.COMMON);
    chosen.forEach(s -> known.addAll(s.options()));
    Set<String> unknown = settings.unknown(known);
    if (!unknown.isEmpty()) throw new IllegalArgumentException("unknown option(s) " + unknown + "; see --help");
    List<Path> written = new ArrayList<>();
    for (Scenario scenario : chosen) {
      Settings own = new Settings(settings.givenFor(scenario.options()));
      System.out.println("=== " + scenario.name() + ": " + scenario.summary());
      try (BenchRun run = new BenchRun(scenario.name(), own)) {
        Report report = run.report();
        report.section("machine", Machine.machine()).section("jvm", Machine.jvm())
          .section("postgres", Machine.postgres()).section("git", Machine.git());
        try {
          scenario.run(run);
        } catch (Exception | Error e) {
          report.section("error", new io.vertx.core.json.JsonObject().put("failure", String.valueOf(e)));
          report.section("settings", own.used());
          report.write(run.out()); // what was measured up to the failure
          throw e;
        }
        report.section("settings", own.used());
        written.add(report.write(run.out()));
      }
    }
    return written;
  }

  private static Scenario find(String name) {
    return SCENARIOS.stream().filter(s -> s.name().equals(name)).findFirst()
      .orElseThrow(() -> new IllegalArgumentException("no scenario " + name + "; see --help"));
  }

  private static int help() {
    System.out.println("""
      usage: scripts/bench <scenario|all> [--option value ...]
             scripts/bench --hop [N]      one event from publish to socket, same node and across two (HopBench)

      Starts the portal as its own JVM on a fresh database of the local PostgreSQL (as the tests find it), measures
      it only through HTTP, /eventbus/websocket and /health, prints a table and writes
      target/bench/<scenario>-<time>.json.
      Baselines come from $BENCH_PEERS (default ../shared/peers), copied to target/bench/peers/ and built there.
      Environment: BENCH_SERVER_OPTS (JVM options of the portal nodes), BENCH_OPTS (of this client), BENCH_PEERS.
      """);
    System.out.println("scenarios:");
    for (Scenario s : SCENARIOS) {
      System.out.printf("%n  %s — %s%n", s.name(), s.summary());
      for (Opt o : s.options()) System.out.printf("      --%-22s %-14s %s%n", o.name(), o.defaultValue(), o.help());
    }
    System.out.println("\noptions of every scenario:");
    for (Opt o : BenchRun.COMMON) System.out.printf("      --%-22s %-14s %s%n", o.name(), o.defaultValue(), o.help());
    return 0;
  }
}
