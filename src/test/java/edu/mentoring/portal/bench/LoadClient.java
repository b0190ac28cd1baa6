package edu.mentoring.portal.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thousands of WebSockets from one JVM, each a {@link ClientSocket}; the protocol (bridge frames, Socket.IO) is the
 * subclass's. Every frame is timestamped first, then parsed. Keep-alives are spread: each socket sends its own every
 * 5 s from its own phase, as real clients do from their own connect time, never all at once.
 */
abstract class LoadClient implements AutoCloseable {
  private static final int PING_TICK_MS = 50;
  private static final int PING_SLOTS = 5_000 / PING_TICK_MS;

  protected final Vertx vertx;
  protected final EventSink sink;
  // a field, not a local: Vert.x 5 closes a client's connections once the client object is garbage collected
  private final WebSocketClient client;
  private final int[] ports;
  private final List<ClientSocket> sockets = new ArrayList<>();
  private final AtomicInteger connectFailures = new AtomicInteger();
  /** What went wrong on open sockets, by message (a client-side failure must not pass for the server's). */
  private final Missing socketErrors = new Missing();
  /**
   * The time between two keep-alives of the same socket (ms; 5,000 on time): a server that closes sockets for
   * silence while this stays near 5 s is reading late itself; near 10 s, the load client was too busy to ping.
   */
  private final Samples pingIntervals = new Samples();
  private long pinger = -1;

  LoadClient(Vertx vertx, int maxSockets, int[] ports, EventSink sink) {
    this.vertx = vertx;
    this.sink = sink;
    this.ports = ports.clone();
    // a browser takes frames of any size: limits far above any message (a mentor's metrics snapshot exceeds 64 KB)
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(maxSockets + 100)
      .setConnectTimeout(60_000).setTryUsePerMessageCompression(false).setTcpNoDelay(true)
      .setMaxFrameSize(16 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024));
  }

  abstract String uri();

  /** The socket is open: send the protocol's first frames (a bridge client registers its rooms). */
  abstract void opened(ClientSocket s, WebSocket ws);

  abstract void frame(ClientSocket s, WebSocket ws, Buffer frame, long nanos);

  /** What a socket sends every 5 s to stay alive, or null if the server pings instead. */
  abstract String keepAlive();

  /** Connects (or reconnects) one socket; the future fails when the connection does not open. */
  Future<ClientSocket> connect(ClientSocket s) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(ports[s.node])
      .setURI(uri());
    return client.connect(o).map(ws -> {
      s.attach(ws);
      ws.handler(b -> frame(s, ws, b, System.nanoTime()));
      ws.exceptionHandler(e -> socketErrors.add(String.valueOf(e), "socket " + s.index + ": " + e));
      ws.closeHandler(v -> {
        if (s.ws() == ws) {
          s.closed();
          sink.onClosed(s);
        }
      });
      opened(s, ws);
      return s;
    }).onFailure(e -> connectFailures.incrementAndGet());
  }

  /** Opens every socket, at most {@code inFlight} handshakes at a time; returns the seconds it took. */
  double openAll(List<ClientSocket> all, int inFlight) {
    synchronized (sockets) {
      sockets.addAll(all);
    }
    // keep-alives from the first open, as each browser pings from its own open: started after the last socket
    // opened, the first sockets of a large world stayed silent for longer than the server's ping timeout
    startKeepAlive();
    long t0 = System.nanoTime();
    Bounded.all(all.size(), inFlight, i -> connect(all.get(i))).await();
    return (System.nanoTime() - t0) / 1e9;
  }

  List<ClientSocket> sockets() {
    synchronized (sockets) {
      return List.copyOf(sockets);
    }
  }

  /** The client's own failures: connections that did not open, errors on open sockets (with examples). */
  JsonObject problems() {
    return new JsonObject().put("connectFailures", connectFailures.get()).put("socketErrors", socketErrors.toJson())
      .put("keepAliveIntervalMs", pingIntervals.summary());
  }

  private void startKeepAlive() {
    String frame = keepAlive();
    if (frame == null || pinger >= 0) return;
    AtomicInteger tick = new AtomicInteger();
    long[] lastOfSlot = new long[PING_SLOTS];
    pinger = vertx.setPeriodic(PING_TICK_MS, id -> {
      int t = tick.getAndIncrement() % PING_SLOTS;
      long now = System.nanoTime();
      if (lastOfSlot[t] != 0) pingIntervals.addNanos(lastOfSlot[t], now);
      lastOfSlot[t] = now;
      List<ClientSocket> all = sockets();
      for (int i = t; i < all.size(); i += PING_SLOTS) {
        ClientSocket s = all.get(i);
        WebSocket ws = s.ws();
        if (ws != null && s.isOpen()) ws.writeTextMessage(frame);
      }
    });
  }

  /**
   * Drops every connection at once, as a network failure would: no close frame, the TCP connection reset
   * (SO_LINGER 0), so the server learns of it only from the reset.
   */
  void dropAll() {
    for (ClientSocket s : sockets()) {
      WebSocket ws = s.ws();
      if (ws == null) continue;
      s.closed();
      Channel ch = ((WebSocketInternal) ws).channelHandlerContext().channel();
      ch.config().setOption(ChannelOption.SO_LINGER, 0);
      ch.close();
    }
  }

  @Override
  public void close() {
    if (pinger >= 0) vertx.cancelTimer(pinger);
    for (ClientSocket s : sockets()) {
      s.closed();
      WebSocket ws = s.ws();
      if (ws != null) ws.close();
    }
    client.close().await();
  }
}
