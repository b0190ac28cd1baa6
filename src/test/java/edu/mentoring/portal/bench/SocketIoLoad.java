package edu.mentoring.portal.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;

/**
 * A minimal Socket.IO v4 client (Engine.IO v4 over WebSocket only), enough for the Socket.IO baseline: the server
 * opens with {@code 0{...}}, the client authenticates with {@code 40{"token":...}} and the server acknowledges with
 * {@code 40{...}} once the socket has joined its rooms (they are joined server-side from the JWT); events arrive as
 * {@code 42["name",{...}]}; the server pings with {@code 2}, the client answers {@code 3}.
 */
final class SocketIoLoad extends LoadClient {
  SocketIoLoad(Vertx vertx, int maxSockets, int[] ports, EventSink sink) {
    super(vertx, maxSockets, ports, sink);
  }

  @Override
  String uri() {
    return "/socket.io/?EIO=4&transport=websocket";
  }

  @Override
  void opened(ClientSocket s, WebSocket ws) {
    // the server speaks first (the Engine.IO open packet)
  }

  @Override
  void frame(ClientSocket s, WebSocket ws, Buffer frame, long nanos) {
    String text = frame.toString();
    if (text.startsWith("42")) {
      Frames.socketIoEvent(text, nanos, s, sink);
    } else if (text.equals("2")) {
      ws.writeTextMessage("3");
    } else if (text.startsWith("40")) {
      // connected: the server joined the rooms before acknowledging
      for (String room : s.rooms) {
        s.joined.add(room);
        sink.onJoined(s, room);
      }
    } else if (text.startsWith("44")) {
      sink.onError(s, text.substring(2), null);
    } else if (text.startsWith("0")) {
      ws.writeTextMessage("40" + new JsonObject().put("token", s.token).encode());
    }
  }

  @Override
  String keepAlive() {
    return null;
  }
}
