package edu.mentoring.portal.bench;

import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pgbench} against the same PostgreSQL as the portal, in the same run: the database's own ceiling for a
 * script (prepared statements, as the portal's client uses them).
 */
final class Pgbench {
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
  private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
  private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

  private final String binary;

  private Pgbench(String binary) {
    this.binary = binary;
  }

  /** /usr/bin/pgbench, or pgbench on the PATH; null when neither is there. */
  static Pgbench find() {
    if (Files.isExecutable(Path.of("/usr/bin/pgbench"))) return new Pgbench("/usr/bin/pgbench");
    return Machine.run("pgbench", "--version") != null ? new Pgbench("pgbench") : null;
  }

  String version() {
    return Machine.run(binary, "--version");
  }

  /** Runs {@code script} on {@code db} and reads TPS, average latency, transactions and failures from its report. */
  JsonObject run(TestDatabase db, Path script, int clients, int seconds, Map<String, String> vars, Path logDir)
    throws IOException, InterruptedException {
    PgConnectOptions o = db.options();
    List<String> cmd = new ArrayList<>(List.of(binary, "-h", o.getHost(), "-p", Integer.toString(o.getPort()),
      "-U", o.getUser(), "-n", "-M", "prepared", "-c", Integer.toString(clients),
      "-j", Integer.toString(Math.min(clients, Runtime.getRuntime().availableProcessors())),
      "-T", Integer.toString(seconds), "-f", script.toAbsolutePath().toString()));
    vars.forEach((k, v) -> {
      cmd.add("-D");
      cmd.add(k + "=" + v);
    });
    cmd.add(o.getDatabase());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (o.getPassword() != null && !o.getPassword().isEmpty()) pb.environment().put("PGPASSWORD", o.getPassword());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(seconds + 120L, TimeUnit.SECONDS)) p.destroyForcibly();
    Files.createDirectories(logDir);
    Path log = logDir.resolve("pgbench-" + script.getFileName() + "-" + ProcessHandle.current().pid() + ".log");
    Files.writeString(log, String.join(" ", cmd) + "\n" + out);
    JsonObject r = new JsonObject().put("script", script.toString()).put("clients", clients).put("seconds", seconds)
      .put("exit", p.exitValue()).put("log", log.toString());
    Double tps = number(TPS, out);
    if (tps == null || p.exitValue() != 0) {
      return r.put("error", "pgbench failed (exit " + p.exitValue() + "); see " + log);
    }
    return r.put("tps", Samples.round(tps)).put("latencyAverageMs", number(LATENCY, out))
      .put("transactions", number(PROCESSED, out)).put("failed", number(FAILED, out));
  }

  private static Double number(Pattern p, String out) {
    Matcher m = p.matcher(out);
    return m.find() ? Double.valueOf(m.group(1)) : null;
  }
}
