package edu.mentoring.portal.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
  /** Rooms the server confirmed ({@code room:joined}), in order. */
  private final BlockingQueue<String> joined = new LinkedBlockingQueue<>();
  private final Vertx vertx;
  private final long pinger;
  private volatile boolean closed;
  private volatile boolean pinging = true;

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    socket.handler(buffer -> {
      JsonObject frame = buffer.toJsonObject();
      JsonObject body = frame.getValue("body") instanceof JsonObject b ? b : null;
      // the server's confirmation of a register is the protocol's, not a message: kept apart from the frames
      if ("rec".equals(frame.getString("type")) && body != null && "room:joined".equals(body.getString("type"))) {
        joined.add(frame.getString("address"));
      } else {
        received.add(frame);
      }
    });
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

  /**
   * Every frame up to the next {@code err} (last in the list; absent after {@code timeout}), then whatever comes
   * within {@code then}: what a socket heard around a revocation.
   */
  public List<JsonObject> throughError(Duration timeout, Duration then) {
    List<JsonObject> frames = new ArrayList<>();
    JsonObject err = await(f -> {
      frames.add(f);
      return "err".equals(f.getString("type"));
    }, timeout);
    if (err != null) frames.addAll(drain(then));
    return frames;
  }

  /** The first {@code err} frame among {@code frames}, or null. */
  public static JsonObject firstError(List<JsonObject> frames) {
    return frames.stream().filter(f -> "err".equals(f.getString("type"))).findFirst().orElse(null);
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

  /** The numbered domain events ({@code rec} frames whose body has an {@code id}) received during {@code window}. */
  public List<JsonObject> drainEvents(Duration window) {
    List<JsonObject> events = new ArrayList<>();
    for (JsonObject f : drain(window)) {
      JsonObject body = f.getJsonObject("body");
      if ("rec".equals(f.getString("type")) && body != null && body.getValue("id") instanceof Number) events.add(body);
    }
    return events;
  }

  /**
   * Every numbered event received until those of {@code type} cover {@code targets} (by target id), or the timeout:
   * all of them, in the order they came.
   */
  public List<JsonObject> eventsUntil(String type, Set<Long> targets, Duration timeout) {
    List<JsonObject> events = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!targets(events, type).containsAll(targets) && System.nanoTime() < deadline) {
      events.addAll(drainEvents(Duration.ofMillis(100)));
    }
    return events;
  }

  /** The target ids of the events of {@code type}. */
  public static Set<Long> targets(List<JsonObject> events, String type) {
    Set<Long> out = new TreeSet<>();
    for (JsonObject e : events) if (type.equals(e.getString("type"))) out.add(e.getJsonObject("target").getLong("id"));
    return out;
  }

  /** Fails unless every event's id is higher than the one before it. */
  public static void assertIncreasing(List<JsonObject> events) {
    for (int i = 1; i < events.size(); i++) {
      long before = events.get(i - 1).getLong("id");
      long id = events.get(i).getLong("id");
      if (id <= before) {
        throw new AssertionError("id " + id + " came after " + before + ": " + events.stream().map(e -> e.getLong("id")).toList());
      }
    }
  }

  /** Registers and waits for the server's {@code room:joined} (true), or its refusal or the timeout (false). */
  public boolean registerAndAwait(String address, String token, Duration timeout) {
    joined.remove(address);
    register(address, token);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (joined.contains(address)) return true;
        if (received.stream().anyMatch(f -> "err".equals(f.getString("type")) && address.equals(f.getString("address")))) {
          return false;
        }
        Thread.sleep(5);
      }
      return joined.contains(address);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether the server has confirmed the room ({@code room:joined}). */
  public boolean hasJoined(String address) {
    return joined.contains(address);
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
