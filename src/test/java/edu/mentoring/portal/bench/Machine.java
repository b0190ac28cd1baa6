package edu.mentoring.portal.bench;

import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where and on what a run happened: machine, JVM, PostgreSQL, the project's commit. */
final class Machine {
  private Machine() {
  }

  static JsonObject machine() {
    JsonObject m = new JsonObject().put("cores", Runtime.getRuntime().availableProcessors());
    String meminfo = read("/proc/meminfo");
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        m.put("memoryBytes", Long.parseLong(line.replaceAll("\\D+", "")) * 1024);
      }
    }
    for (String line : read("/proc/cpuinfo").split("\n")) {
      if (line.startsWith("model name")) {
        m.put("cpuModel", line.substring(line.indexOf(':') + 1).trim());
        break;
      }
    }
    m.put("kernel", read("/proc/sys/kernel/osrelease").trim());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("loadAverageAtStart", read("/proc/loadavg").trim());
    return m;
  }

  static JsonObject jvm() {
    return new JsonObject()
      .put("version", System.getProperty("java.runtime.version"))
      .put("vendor", System.getProperty("java.vendor"))
      .put("vm", System.getProperty("java.vm.name"))
      .put("clientOptions", new JsonArray(new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments())));
  }

  static JsonObject postgres() {
    PgConnectOptions o = TestDatabase.server();
    JsonObject pg = new JsonObject().put("host", o.getHost()).put("port", o.getPort());
    try (var c = DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/"
      + o.getDatabase(), o.getUser(), o.getPassword()); var s = c.createStatement();
         var rs = s.executeQuery("SELECT version(), current_setting('max_connections'), "
           + "current_setting('shared_buffers'), current_setting('synchronous_commit')")) {
      rs.next();
      pg.put("version", rs.getString(1)).put("maxConnections", rs.getString(2)).put("sharedBuffers", rs.getString(3))
        .put("synchronousCommit", rs.getString(4));
    } catch (Exception e) {
      pg.put("error", e.getMessage());
    }
    return pg;
  }

  static JsonObject git() {
    JsonObject g = new JsonObject();
    g.put("commit", run("git", "rev-parse", "HEAD"));
    g.put("branch", run("git", "rev-parse", "--abbrev-ref", "HEAD"));
    String status = run("git", "status", "--porcelain", "--untracked-files=no");
    g.put("dirty", status != null && !status.isBlank());
    return g;
  }

  private static String read(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      return "";
    }
  }

  /** First line of a command's output, or null. */
  static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
