package edu.mentoring.portal.testing;

import edu.mentoring.portal.bootstrap.PortalConfig;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A portal node as an operator runs it: its own JVM ({@code PortalMain}), started by a shell script that leaves a
 * pid file, restarted by another that sends SIGTERM, waits for the process to end and starts it again (what
 * {@code systemctl restart} does). Outlives nothing: {@link #close()} kills it.
 */
public final class NodeProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path dir;
  private final int port;

  private NodeProcess(String name, Path dir, int port) {
    this.name = name;
    this.dir = dir;
    this.port = port;
  }

  /** Starts node {@code name} on a free port with these settings (plus the test's secret and a bcrypt cost of 4). */
  public static NodeProcess start(String name, TestDatabase db, Map<String, String> settings) throws IOException {
    Path dir = Files.createTempDirectory("node-" + name);
    int port = freePort();
    Map<String, String> env = new LinkedHashMap<>();
    env.put(PortalConfig.DB_URL, db.url());
    env.put(PortalConfig.JWT_SECRET, TestPortal.SECRET);
    env.put(PortalConfig.HTTP_PORT, Integer.toString(port));
    env.put(PortalConfig.HTTP_HOST, "127.0.0.1");
    env.put(PortalConfig.DEMO_DATA, "false");
    env.put(PortalConfig.BCRYPT_COST, "4");
    env.putAll(TestPortal.SIGN_UP_FOR_FIXTURES);
    env.put(PortalConfig.HTTP_INSTANCES, "1");
    env.put(PortalConfig.DATA_DIR, dir.resolve("data").toString());
    env.put(PortalConfig.CONFIG_FILE, Files.writeString(dir.resolve("none.properties"), "").toString());
    // clustered nodes present the cluster's certificate, as in production (docs/security.md)
    if ("true".equals(settings.get(PortalConfig.CLUSTER))) env.putAll(ClusterKeys.settings());
    env.putAll(settings);
    List<String> java = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1",
      "-cp", System.getProperty("java.class.path"), "edu.mentoring.portal.bootstrap.PortalMain"));
    StringBuilder start = new StringBuilder("#!/usr/bin/env bash\n");
    env.forEach((k, v) -> start.append("export ").append(k).append('=').append(quote(v)).append('\n'));
    start.append("nohup");
    for (String arg : java) start.append(' ').append(quote(arg));
    start.append(" >> ").append(quote(dir.resolve("node.log").toString())).append(" 2>&1 < /dev/null &\n");
    start.append("echo $! > ").append(quote(dir.resolve("node.pid").toString())).append('\n');
    Files.writeString(dir.resolve("start.sh"), start.toString());
    Files.writeString(dir.resolve("restart.sh"), "#!/usr/bin/env bash\n"
      + "pid=$(cat " + quote(dir.resolve("node.pid").toString()) + ")\n"
      + "kill -TERM \"$pid\"\n"
      + "while kill -0 \"$pid\" 2>/dev/null; do sleep 0.05; done\n"
      + "exec bash " + quote(dir.resolve("start.sh").toString()) + "\n");
    NodeProcess node = new NodeProcess(name, dir, port);
    node.run("start.sh");
    return node;
  }

  private void run(String script) throws IOException {
    try {
      Process p = new ProcessBuilder("bash", dir.resolve(script).toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("scripts.log").toFile())).start();
      if (p.waitFor() != 0) throw new IOException(script + " of node " + name + " failed; see " + dir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** What makes an operator's tools restart this node: SIGTERM, wait for the end, start again. */
  public String restartCommand() {
    return "bash " + quote(dir.resolve("restart.sh").toString());
  }

  public Path log() {
    return dir.resolve("node.log");
  }

  public long pid() throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("node.pid")).trim());
  }

  /** The status of GET {@code path} on this node, or -1 when it does not answer. */
  public int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Waits until /health/ready answers 200 (and, if {@code members} > 0, /health counts that many members). */
  public void awaitReady(int members, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (status("/health/ready") == 200 && (members == 0 || members() == members)) return;
      if (!ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false)) {
        throw new AssertionError("node " + name + " died at start; see " + log());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("node " + name + " was not ready within " + timeout + "; see " + log());
  }

  private int members() {
    try {
      String body = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health")).timeout(Duration.ofSeconds(3))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = Pattern.compile("\"members\":(\\d+)").matcher(body);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The drain times this node logged ("drained and stopped in N ms"), in order. */
  public List<Long> drainTimes() throws IOException {
    List<Long> times = new ArrayList<>();
    if (!Files.exists(log())) return times;
    Matcher m = Pattern.compile("drained and stopped in (\\d+) ms").matcher(Files.readString(log(),
      StandardCharsets.UTF_8));
    while (m.find()) times.add(Long.parseLong(m.group(1)));
    return times;
  }

  @Override
  public void close() {
    try {
      ProcessHandle.of(pid()).ifPresent(p -> {
        p.destroyForcibly();
        p.onExit().join();
      });
    } catch (IOException | RuntimeException ignored) {
      // never started, or gone already
    }
  }
}
