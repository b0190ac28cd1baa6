package edu.mentoring.portal.operations;

import edu.mentoring.portal.bootstrap.PortalConfig;
import edu.mentoring.portal.realtime.Rooms;
import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's nginx with {@code conf/nginx/portal.conf} (only its ports and certificate paths replaced) in front of two
 * clustered nodes: TLS, the API, a WebSocket and SockJS's xhr-polling transport through it, then one node going away.
 */
@DisplayName("nginx in front of two nodes: TLS, WebSocket and sticky SockJS polling, and a node going away")
class NginxTest {

  @Test
  @DisplayName("through nginx: sign-in over TLS with nginx's request id, an event reaches a WebSocket and six xhr-polling "
    + "sessions (each sticky to its node); with one node gone, requests and new sockets of both transports still work")
  void inFrontOfTwoNodes() throws Exception {
    String nginx = nginx();
    needs(nginx != null, "nginx is not installed: apt-get install nginx (.ci/run installs it)");
    Path dir = Files.createTempDirectory("nginx-test");
    needs(selfSignedCertificate(dir), "openssl is needed to make the test's certificate (apt-get install openssl)");

    String clusterPort = Integer.toString(23_000 + 20 * ThreadLocalRandom.current().nextInt(300));
    Map<String, String> cluster = Map.of(PortalConfig.CLUSTER, "true", PortalConfig.CLUSTER_MEMBERS, "127.0.0.1",
      PortalConfig.CLUSTER_NAME, "nginx-" + UUID.randomUUID(), PortalConfig.CLUSTER_PORT, clusterPort);
    Vertx client = Vertx.vertx();
    TestPortal a = TestPortal.start(cluster);
    TestPortal b = null;
    Process proxy = null;
    try {
      b = TestPortal.startOn(a.database(), cluster);
      int tls = freePort();
      proxy = startNginx(nginx, dir, tls, freePort(), a.port(), b.port());
      WebClient web = WebClient.create(client, new WebClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false).setDefaultHost("127.0.0.1").setDefaultPort(tls).setKeepAlive(true));
      awaitUp(web, proxy, dir);
      School school = School.build(new edu.mentoring.portal.testing.Api(client, a.port()));

      HttpResponse<Buffer> login = web.post("/api/auth/login").sendJsonObject(new JsonObject()
        .put("email", school.studentA.email()).put("password", School.PASSWORD)).await();
      assertEquals(200, login.statusCode(), login.bodyAsString());
      assertTrue(login.getHeader(RequestIds.HTTP_HEADER).matches("[0-9a-f]{32}"),
        "nginx's $request_id is the node's request id: " + login.getHeader(RequestIds.HTTP_HEADER));
      String token = login.bodyAsJsonObject().getString("token");
      String room = Rooms.student(school.studentA.id());

      WebSocketClient wsClient = client.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustAll(true).setVerifyHost(false));
      Socket ws = Socket.open(wsClient, tls, room, token);
      List<Polling> polls = new ArrayList<>();
      for (int i = 0; i < 6; i++) polls.add(Polling.open(web, room, token)); // the hash spreads them over both nodes
      assertTrue(a.node().rooms().roomMembers(room) + b.node().rooms().roomMembers(room) == 7,
        "one WebSocket and six polling sessions in the room, over the two nodes");

      long session = createSession(web, school, 1);
      assertNotNull(ws.awaitEvent(session, Duration.ofSeconds(10)), "the event reached the WebSocket");
      for (Polling p : polls) assertTrue(p.awaitEvent(session, Duration.ofSeconds(10)), "and every polling session");

      // node B goes away (as SIGTERM does it); nginx sends everything to A
      b.node().drain();
      b.close();
      b = null;
      for (int i = 0; i < 10; i++) {
        HttpResponse<Buffer> me = web.get("/api/auth/me").bearerTokenAuthentication(token).send().await();
        assertEquals(200, me.statusCode(), "request " + i + " after B left: " + me.bodyAsString());
      }
      Socket again = Socket.open(wsClient, tls, room, token);
      List<Polling> repolled = new ArrayList<>();
      for (int i = 0; i < 3; i++) repolled.add(Polling.open(web, room, token));
      long later = createSession(web, school, 2);
      assertNotNull(again.awaitEvent(later, Duration.ofSeconds(10)), "a new WebSocket works with one node");
      for (Polling p : repolled) assertTrue(p.awaitEvent(later, Duration.ofSeconds(10)), "new polling sessions too");
    } finally {
      if (proxy != null) {
        proxy.destroy();
        proxy.waitFor(10, TimeUnit.SECONDS);
        proxy.destroyForcibly();
      }
      if (b != null) b.close();
      a.close();
      client.close();
    }
  }

  /** Skipped, saying why, where the tool is missing; in CI (which installs it) that is a failure. */
  private static void needs(boolean present, String why) {
    if (present) return;
    if (System.getenv("CI") != null) fail(why);
    Assumptions.assumeTrue(false, why + "; skipped outside CI");
  }

  private static long createSession(WebClient web, School school, int n) {
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(7 + n).withMinute(0).withSecond(0).withNano(0);
    HttpResponse<Buffer> r = web.post("/api/schedules").bearerTokenAuthentication(school.mentorA.token())
      .sendJsonObject(new JsonObject().put("title", "Through nginx " + n).put("studentId", school.studentA.id())
        .put("startTime", start.toString()).put("endTime", start.plusMinutes(30).toString())).await();
    assertEquals(201, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getLong("id");
  }

  /** nginx on PATH or where Debian puts it; null when it is not installed. */
  static String nginx() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
      if (new File(candidate).canExecute()) return candidate;
    }
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String p : path.split(File.pathSeparator)) {
      File f = new File(p, "nginx");
      if (f.canExecute()) return f.getPath();
    }
    return null;
  }

  private static boolean selfSignedCertificate(Path dir) throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-keyout", dir.resolve("portal.key").toString(),
        "-out", dir.resolve("portal.pem").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** The documented configuration with this test's ports and files, inside a minimal nginx.conf of its own. */
  private static Process startNginx(String nginx, Path dir, int tls, int plain, int portA, int portB)
    throws IOException {
    String portal = Files.readString(Path.of("conf/nginx/portal.conf"), StandardCharsets.UTF_8)
      .replace("server 127.0.0.1:8080 ", "server 127.0.0.1:" + portA + " ")
      .replace("server 127.0.0.1:8081 ", "server 127.0.0.1:" + portB + " ")
      .replace("listen 80;", "listen 127.0.0.1:" + plain + ";")
      .replace("listen 443 ssl;", "listen 127.0.0.1:" + tls + " ssl;")
      .replace("/etc/ssl/certs/portal.pem", dir.resolve("portal.pem").toString())
      .replace("/etc/ssl/private/portal.key", dir.resolve("portal.key").toString());
    assertTrue(portal.contains(":" + portA + " ") && portal.contains(":" + portB + " "), "the upstreams were found");
    Files.writeString(dir.resolve("portal.conf"), portal);
    Files.createDirectories(dir.resolve("tmp"));
    boolean root = "root".equals(System.getProperty("user.name"));
    String main = (root ? "user root;\n" : "") + """
      daemon off;
      worker_processes 1;
      pid %1$s/nginx.pid;
      error_log %1$s/error.log warn;
      events { worker_connections 512; }
      http {
        access_log %1$s/access.log;
        client_body_temp_path %1$s/tmp/body;
        proxy_temp_path %1$s/tmp/proxy;
        fastcgi_temp_path %1$s/tmp/fastcgi;
        uwsgi_temp_path %1$s/tmp/uwsgi;
        scgi_temp_path %1$s/tmp/scgi;
        include %1$s/portal.conf;
      }
      """.formatted(dir);
    Files.writeString(dir.resolve("nginx.conf"), main);
    return new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
      .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
  }

  private static void awaitUp(WebClient web, Process proxy, Path dir) throws Exception {
    for (int i = 0; i < 100; i++) {
      assertTrue(proxy.isAlive(), () -> "nginx stopped: " + read(dir.resolve("nginx.out")) + read(dir.resolve("error.log")));
      try {
        if (web.get("/health/ready").send().await().statusCode() == 200) return;
      } catch (Exception e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nginx did not come up: " + read(dir.resolve("error.log")));
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A raw bridge WebSocket through the proxy. */
  static final class Socket {
    final WebSocket ws;
    final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

    private Socket(WebSocket ws) {
      this.ws = ws;
      ws.handler(b -> frames.add(b.toJsonObject()));
    }

    static Socket open(WebSocketClient client, int port, String room, String token) throws InterruptedException {
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
        .setURI("/eventbus/websocket")).await();
      Socket s = new Socket(ws);
      ws.writeTextMessage(new JsonObject().put("type", "register").put("address", room)
        .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode());
      JsonObject joined = s.frames.poll(10, TimeUnit.SECONDS);
      assertNotNull(joined, "no answer to the register");
      assertEquals("room:joined", joined.getJsonObject("body", new JsonObject()).getString("type"), joined::encode);
      return s;
    }

    JsonObject awaitEvent(long scheduleId, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        JsonObject f = frames.poll(100, TimeUnit.MILLISECONDS);
        if (f != null && f.getJsonObject("body") != null && f.getJsonObject("body").getJsonObject("target") != null
          && f.getJsonObject("body").getJsonObject("target").getLong("id") == scheduleId) return f;
      }
      return null;
    }
  }

  /**
   * SockJS's xhr-polling transport, as sockjs-client falls back to it: {@code /xhr} opens and polls, {@code /xhr_send}
   * sends. Each is a separate HTTP request; all must reach the node holding the session.
   */
  static final class Polling {
    final WebClient web;
    final String base;

    private Polling(WebClient web, String base) {
      this.web = web;
      this.base = base;
    }

    static Polling open(WebClient web, String room, String token) {
      String base = "/eventbus/" + ThreadLocalRandom.current().nextInt(1000) + "/" + UUID.randomUUID().toString()
        .replace("-", "");
      Polling p = new Polling(web, base);
      assertEquals("o", p.poll().trim(), "the session opened");
      JsonArray send = new JsonArray().add(new JsonObject().put("type", "register").put("address", room)
        .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode());
      HttpResponse<Buffer> sent = web.post(base + "/xhr_send").putHeader("Content-Type", "text/plain")
        .sendBuffer(send.toBuffer()).await();
      assertEquals(204, sent.statusCode(), "xhr_send reached the node holding the session: " + sent.bodyAsString());
      assertTrue(p.awaitFrame(f -> "room:joined".equals(f.getJsonObject("body", new JsonObject()).getString("type")),
        Duration.ofSeconds(10)), "joined over polling");
      return p;
    }

    String poll() {
      HttpResponse<Buffer> r = web.post(base + "/xhr").send().await();
      assertEquals(200, r.statusCode(), "xhr reached the node holding the session: " + r.bodyAsString());
      return r.bodyAsString();
    }

    boolean awaitFrame(java.util.function.Predicate<JsonObject> match, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String body = poll().trim();
        if (!body.startsWith("a")) continue; // h: heartbeat
        for (Object frame : new JsonArray(body.substring(1))) {
          if (match.test(new JsonObject((String) frame))) return true;
        }
      }
      return false;
    }

    boolean awaitEvent(long scheduleId, Duration timeout) {
      return awaitFrame(f -> f.getJsonObject("body") != null && f.getJsonObject("body").getJsonObject("target") != null
        && f.getJsonObject("body").getJsonObject("target").getLong("id") == scheduleId, timeout);
    }
  }
}
