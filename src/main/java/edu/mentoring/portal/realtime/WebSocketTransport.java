package edu.mentoring.portal.realtime;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;

/**
 * A WebSocket upgraded by the portal itself, without the router: nothing of the HTTP request stays reachable once
 * the socket is open (several KB less per socket than through the SockJS handler). Two framings:
 * raw ({@code /eventbus/websocket}: a bridge frame per message, answers in binary) and SockJS's WebSocket transport
 * ({@code /eventbus/<server>/<session>/websocket}: {@code o} on open, {@code h} heartbeats, {@code a[...]} messages,
 * client messages as a JSON array of strings).
 *
 * <p>Bridge frames go to netty as the finished WebSocket frame bytes of {@link Frame#webSocketFrame}, shared by every
 * socket of a room, rather than through Vert.x's per-socket frame objects and netty's per-socket encoding; the
 * encoders let bytes pass. Everything else (SockJS open, heartbeat and close frames, pongs) takes the Vert.x path,
 * on the same event loop, so the order of writes is kept.
 */
final class WebSocketTransport implements BridgeTransport {
  static final long SOCKJS_HEARTBEAT_MS = 25_000;

  private final ServerWebSocket ws;
  private final ChannelHandlerContext channel;
  private final boolean sockJs;
  private long lastWrite = System.currentTimeMillis();

  WebSocketTransport(ServerWebSocket ws, boolean sockJs) {
    this.ws = ws;
    this.channel = ((WebSocketInternal) ws).channelHandlerContext();
    this.sockJs = sockJs;
  }

  @Override
  public void start(Handler<Buffer> frames, Handler<Void> closed) {
    if (sockJs) {
      ws.textMessageHandler(text -> sockJsMessages(text, frames));
      ws.writeTextMessage("o");
    } else {
      ws.textMessageHandler(text -> frames.handle(Buffer.buffer(text)));
      ws.binaryMessageHandler(frames);
    }
    ws.closeHandler(closed);
    ws.exceptionHandler(t -> {
      closed.handle(null);
      ws.close();
    });
  }

  /** SockJS clients send {@code ["frame", ...]} (or a single JSON string). */
  private void sockJsMessages(String text, Handler<Buffer> frames) {
    if (text.isEmpty()) return;
    try {
      Object parsed = Buffer.buffer(text).toJsonValue();
      if (parsed instanceof JsonArray messages) {
        for (Object m : messages) frames.handle(Buffer.buffer(String.valueOf(m)));
      } else if (parsed instanceof String single) {
        frames.handle(Buffer.buffer(single));
      } else {
        ws.close((short) 1002, "broken framing");
      }
    } catch (DecodeException e) {
      ws.close((short) 1002, "broken framing");
    }
  }

  @Override
  public void write(Frame frame) {
    lastWrite = System.currentTimeMillis();
    channel.writeAndFlush(Unpooled.wrappedBuffer(frame.webSocketFrame(sockJs)), channel.voidPromise());
  }

  @Override
  public long queuedBytes() {
    ChannelOutboundBuffer queued = channel.channel().unsafe().outboundBuffer();
    return queued == null ? 0 : queued.totalPendingWriteBytes();
  }

  @Override
  public boolean needsHeartbeat() {
    return sockJs;
  }

  @Override
  public void heartbeat(long now) {
    if (sockJs && now - lastWrite >= SOCKJS_HEARTBEAT_MS) {
      lastWrite = now;
      ws.writeTextMessage("h");
    }
  }

  @Override
  public void close() {
    if (sockJs && !ws.isClosed()) ws.writeTextMessage("c[3000,\"Go away!\"]");
    ws.close();
  }
}
