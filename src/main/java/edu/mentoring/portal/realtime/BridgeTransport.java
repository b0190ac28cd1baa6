package edu.mentoring.portal.realtime;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/** What a bridge session needs of its connection, whichever transport the browser ended up with. */
interface BridgeTransport {
  /** {@code frames}: each bridge frame the client sent (JSON text); {@code closed}: once, when the connection ends. */
  void start(Handler<Buffer> frames, Handler<Void> closed);

  /** Writes on the connection's own event loop; failures surface through the closed handler. */
  void write(Frame frame);

  /** Bytes handed to the connection that the network has not taken yet: how far behind the client is. */
  long queuedBytes();

  /** Whether {@link #heartbeat} does anything: raw WebSockets rely on the client's pings. */
  default boolean needsHeartbeat() {
    return false;
  }

  /** Keeps idle connections alive where the transport needs it (SockJS heartbeats). */
  default void heartbeat(long now) {
  }

  void close();
}
