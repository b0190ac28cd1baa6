package edu.mentoring.portal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The reference servers of {@code ../shared/peers} (or {@code BENCH_PEERS}): the Socket.IO design
 * ({@code socketio/server.mjs}) and the raw Vert.x WebSocket ceiling ({@code vertx-bridge}, {@code peer.RawLimit}).
 * That directory is read-only and its code is not the project's: each is copied under
 * {@code target/bench/peers/}, installed or built there, and run from there. Missing peers or tools are a reason to
 * skip a baseline, never a failure.
 */
final class Peers {
  static final String SOCKETIO = "socketio";
  static final String RAW = "raw";
  static final String PEER_SECRET = "peer-secret-0123456789abcdef0123456789abcdef";

  private final Path source;
  private final Path work;
  private final Path logDir;

  Peers(BenchRun run) {
    String configured = System.getenv("BENCH_PEERS");
    this.source = Path.of(configured != null && !configured.isBlank() ? configured : "../shared/peers")
      .toAbsolutePath().normalize();
    this.work = Path.of("target/bench/peers").toAbsolutePath();
    this.logDir = run.logDir();
  }

  /** Why a baseline cannot run here, or null if it can. */
  String unavailable(String peer) {
    Path dir = source.resolve(peer.equals(SOCKETIO) ? "socketio" : "vertx-bridge");
    if (!Files.isDirectory(dir)) return "no peer at " + dir + " (set BENCH_PEERS)";
    if (peer.equals(SOCKETIO)) {
      if (Machine.run("node", "--version") == null) return "node is not installed";
      if (Machine.run("npm", "--version") == null) return "npm is not installed";
    } else if (Machine.run("mvn", "-v") == null) {
      return "mvn is not installed";
    }
    return null;
  }

  /** {@code node server.mjs PORT} from the installed copy; ready when it accepts TCP connections. */
  ChildProcess startSocketIo(int port) throws IOException, InterruptedException {
    Path dir = copy("socketio");
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      System.out.println("installing the Socket.IO peer's packages (npm install, once) ...");
      ChildProcess.runToEnd("npm-install", List.of("npm", "install", "--no-audit", "--no-fund"), dir, logDir, 900);
    }
    return await(ChildProcess.start("peer-socketio", List.of("node", "--expose-gc", "server.mjs",
      Integer.toString(port), PEER_SECRET), Map.of(), dir, logDir), port);
  }

  /** {@code java -cp target/classes:$(cat target/cp.txt) peer.RawLimit PORT} from the built copy. */
  ChildProcess startRawLimit(int port) throws IOException, InterruptedException {
    Path dir = copy("vertx-bridge");
    if (!Files.isRegularFile(dir.resolve("target/cp.txt"))) {
      System.out.println("building the raw Vert.x peer (mvn, once) ...");
      ChildProcess.runToEnd("mvn-raw-peer", List.of("mvn", "-B", "-q", "compile", "dependency:build-classpath",
        "-Dmdep.outputFile=target/cp.txt"), dir, logDir, 900);
    }
    String cp = dir.resolve("target/classes") + ":" + Files.readString(dir.resolve("target/cp.txt")).trim();
    return await(ChildProcess.start("peer-raw", List.of(ChildProcess.javaBinary(), "-Xms256m", "-Xmx1g",
      "-XX:+UseG1GC", "-cp", cp, "peer.RawLimit", Integer.toString(port)), Map.of(), dir, logDir), port);
  }

  /** A copy of the peer's files (not its build outputs), refreshed when the source changed. */
  private Path copy(String name) throws IOException {
    Path from = source.resolve(name);
    Path to = work.resolve(name);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path rel = from.relativize(f);
        if (rel.startsWith("node_modules") || rel.startsWith("target")) continue;
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dest);
        } else if (!Files.exists(dest) || Files.getLastModifiedTime(dest).compareTo(Files.getLastModifiedTime(f)) < 0
          || Files.size(dest) != Files.size(f)) {
          Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
          dest.toFile().setWritable(true, true);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return to;
  }

  /** Readiness is a TCP connect: RawLimit answers nothing but WebSocket upgrades. */
  private static ChildProcess await(ChildProcess p, int port) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!p.alive()) {
        p.close();
        throw new IOException(p.name() + " exited at start; see " + p.log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return p;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    p.close();
    throw new IOException(p.name() + " not listening after 120 s; see " + p.log());
  }

  static List<String> parse(List<String> requested) {
    List<String> out = new ArrayList<>();
    for (String r : requested) {
      if (!r.equals(SOCKETIO) && !r.equals(RAW)) throw new IllegalArgumentException("unknown baseline " + r
        + " (socketio, raw or none)");
      out.add(r);
    }
    return out;
  }
}
