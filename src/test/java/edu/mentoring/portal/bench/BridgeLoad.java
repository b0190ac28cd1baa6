package edu.mentoring.portal.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;

/**
 * Raw bridge WebSockets on {@code /eventbus/websocket}, sending what the official JS client sends: a
 * {@code register} per room with the user's JWT in its headers, and {@code {"type":"ping"}} every 5 s (the server
 * closes a silent socket after 10 s). The server answers in binary frames of JSON.
 */
final class BridgeLoad extends LoadClient {
  BridgeLoad(Vertx vertx, int maxSockets, int[] ports, EventSink sink) {
    super(vertx, maxSockets, ports, sink);
  }

  @Override
  String uri() {
    return "/eventbus/websocket";
  }

  @Override
  void opened(ClientSocket s, WebSocket ws) {
    for (String room : s.rooms) ws.writeTextMessage(register(room, s.token));
  }

  static String register(String room, String token) {
    return new JsonObject().put("type", "register").put("address", room)
      .put("headers", new JsonObject().put("Authorization", "Bearer " + token)).encode();
  }

  @Override
  void frame(ClientSocket s, WebSocket ws, Buffer frame, long nanos) {
    Frames.bridge(frame, nanos, s, sink);
  }

  @Override
  String keepAlive() {
    return "{\"type\":\"ping\"}";
  }
}
