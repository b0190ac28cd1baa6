package edu.mentoring.portal.bench;

import edu.mentoring.portal.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One scenario's run: its settings, its report, the load client's Vert.x, and everything it started, closed in
 * reverse order at the end (sockets before servers, servers before their database).
 */
final class BenchRun implements AutoCloseable {
  static final Opt OUT = Opt.of("out", "target/bench", "directory for the JSON results (logs go to <out>/logs)");
  static final Opt SERVER_ENV = Opt.of("server-env", "",
    "extra portal settings for every node, KEY=VALUE,... (e.g. PORTAL_DB_POOL_SIZE=16)");
  static final List<Opt> COMMON = List.of(OUT, SERVER_ENV);

  private final Settings settings;
  private final Report report;
  private final Vertx vertx;
  private final Path out;
  private final Map<String, String> serverEnv;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

  BenchRun(String scenario, Settings settings) {
    this.settings = settings;
    this.report = new Report(scenario);
    this.out = Path.of(settings.text(OUT));
    this.serverEnv = settings.pairs(SERVER_ENV);
    // the load client shares the two cores with the server: as few event loops as cores, epoll like the server
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
  }

  Settings settings() {
    return settings;
  }

  Report report() {
    return report;
  }

  Vertx vertx() {
    return vertx;
  }

  Path out() {
    return out;
  }

  Path logDir() {
    return out.resolve("logs");
  }

  Map<String, String> serverEnv() {
    return serverEnv;
  }

  /** {@code BENCH_SERVER_OPTS}: extra JVM options for the portal nodes (e.g. a GC log). */
  List<String> serverJvmOptions() {
    String extra = System.getenv().getOrDefault("BENCH_SERVER_OPTS", "").trim();
    return extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
  }

  /** A fresh, empty database on the local PostgreSQL, dropped at the end. */
  TestDatabase freshDatabase() {
    TestDatabase db = TestDatabase.create();
    closeAtEnd(db);
    return db;
  }

  <T extends AutoCloseable> T closeAtEnd(T resource) {
    synchronized (toClose) {
      toClose.push(resource);
    }
    return resource;
  }

  /** Closes one resource now (a target measured before the next one starts). */
  void closeNow(AutoCloseable resource) {
    synchronized (toClose) {
      toClose.remove(resource);
    }
    quietly(resource);
  }

  @Override
  public void close() {
    while (true) {
      AutoCloseable r;
      synchronized (toClose) {
        r = toClose.poll();
      }
      if (r == null) break;
      quietly(r);
    }
    vertx.close().await();
  }

  private static void quietly(AutoCloseable r) {
    try {
      r.close();
    } catch (Exception e) {
      System.err.println("closing " + r + ": " + e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
