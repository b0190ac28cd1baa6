package edu.mentoring.portal.realtime;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** The SockJS fallbacks (xhr-streaming, polling...), served by vertx-web's SockJS handler. */
final class SockJsTransport implements BridgeTransport {
  private final SockJSSocket socket;

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
  public Future<Void> write(Frame frame) {
    return socket.write(frame.raw());
  }

  @Override
  public void close() {
    socket.close();
  }
}
