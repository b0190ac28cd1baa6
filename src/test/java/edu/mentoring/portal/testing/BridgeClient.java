package edu.mentoring.portal.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client of the event-bus bridge: connects to {@code /eventbus/websocket} and sends the frames the official
 * JS client sends ({@code register} with {@code headers.Authorization}, {@code ping}, ...). Every frame received
 * is queued; call from the test thread.
 */
public final class BridgeClient implements AutoCloseable {
  private final WebSocketClient client; // kept as a field: an unreferenced client can be closed mid-handshake
  private final WebSocket socket;
  private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final Vertx vertx;
  private final long pinger;
  private volatile boolean closed;
  private volatile boolean pinging = true;

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    socket.handler(buffer -> received.add(buffer.toJsonObject()));
    socket.closeHandler(v -> closed = true);
    pinger = vertx.setPeriodic(4_000, id -> {
      if (!closed && pinging) socket.writeTextMessage("{\"type\":\"ping\"}");
    });
  }

  public static BridgeClient connect(Vertx vertx, int port) {
    return connect(vertx, port, null);
  }

  /** {@code origin} null sends no Origin header (not a browser). */
  public static BridgeClient connect(Vertx vertx, int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/eventbus/websocket");
    if (origin != null) options.addHeader("Origin", origin);
    WebSocket ws = client.connect(options).await();
    return new BridgeClient(vertx, client, ws);
  }

  public BridgeClient register(String address, String token) {
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (token != null) frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
    return sendFrame(frame);
  }

  public BridgeClient unregister(String address) {
    return sendFrame(new JsonObject().put("type", "unregister").put("address", address));
  }

  public BridgeClient sendFrame(JsonObject frame) {
    socket.writeTextMessage(frame.encode()).await();
    return this;
  }

  public BridgeClient sendRaw(String text) {
    socket.writeTextMessage(text).await();
    return this;
  }

  /** The next frame matching, or null after the timeout; non-matching frames before it are dropped. */
  public JsonObject await(Predicate<JsonObject> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return null;
        JsonObject frame = received.poll(left, TimeUnit.NANOSECONDS);
        if (frame == null) return null;
        if (match.test(frame)) return frame;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The next message ({@code rec} frame) delivered on the address, or null. */
  public JsonObject awaitMessage(String address, Duration timeout) {
    JsonObject frame = await(f -> "rec".equals(f.getString("type")) && address.equals(f.getString("address")), timeout);
    return frame == null ? null : frame.getJsonObject("body");
  }

  /** The next {@code err} frame, or null. */
  public JsonObject awaitError(Duration timeout) {
    return await(f -> "err".equals(f.getString("type")), timeout);
  }

  /** Everything received during {@code window}. */
  public List<JsonObject> drain(Duration window) {
    List<JsonObject> frames = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return frames;
        JsonObject f = received.poll(left, TimeUnit.NANOSECONDS);
        if (f != null) frames.add(f);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return frames;
    }
  }

  /** Behaves like a client that went away without closing: sends no more pings. */
  public BridgeClient stopPinging() {
    pinging = false;
    return this;
  }

  /** Stops reading from the socket (a client that no longer keeps up). */
  public BridgeClient pause() {
    socket.pause();
    return this;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    vertx.cancelTimer(pinger);
    if (!closed) socket.close();
    client.close();
  }
}
