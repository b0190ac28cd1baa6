package edu.mentoring.portal.realtime;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** The SockJS fallbacks (xhr-streaming, polling...), served by vertx-web's SockJS handler. */
final class SockJsTransport implements BridgeTransport {
  /** Writes complete in order: a completion listener on one write in ~32 KB acknowledges all before it. */
  private static final long SAMPLE_EVERY_BYTES = 32 * 1024;

  private final SockJSSocket socket;
  // touched only on the socket's context: bytes handed to the socket, and bytes the network has taken
  private long writtenBytes;
  private long ackedBytes;
  private long lastSampleAt;

  SockJsTransport(SockJSSocket socket) {
    this.socket = socket;
  }

  @Override
  public void start(Handler<Buffer> frames, Handler<Void> closed) {
    socket.handler(frames);
    socket.endHandler(closed);
    // e.g. a message over the size limit: drop the socket, never the node
    socket.exceptionHandler(t -> {
      closed.handle(null);
      socket.close();
    });
  }

  @Override
  public void write(Frame frame) {
    boolean idle = writtenBytes == ackedBytes;
    writtenBytes += frame.length();
    Future<Void> written = socket.write(frame.raw());
    if (writtenBytes - lastSampleAt >= SAMPLE_EVERY_BYTES || idle) {
      long upTo = writtenBytes;
      lastSampleAt = upTo;
      written.onComplete(ar -> ackedBytes = Math.max(ackedBytes, upTo));
    }
  }

  @Override
  public long queuedBytes() {
    return writtenBytes - ackedBytes;
  }

  @Override
  public void close() {
    socket.close();
  }
}
