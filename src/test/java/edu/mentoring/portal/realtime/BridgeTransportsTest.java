package edu.mentoring.portal.realtime;

import edu.mentoring.portal.testing.School;
import edu.mentoring.portal.testing.SchoolFixture;
import edu.mentoring.portal.testing.TestPortal;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge writes the finished WebSocket frame bytes itself (one encoding per event, shared by every socket), so
 * these check with real clients that each framing a browser may get is well formed and carries the message intact:
 * every payload-length encoding of RFC 6455, SockJS over WebSocket, and SockJS's xhr-streaming fallback.
 */
@DisplayName("Bridge transports: every framing a client may get carries the message intact")
class BridgeTransportsTest {
  @RegisterExtension
  static final SchoolFixture FIXTURE = new SchoolFixture();
  private static TestPortal portal;
  private static School school;

  /** A raw bridge WebSocket ({@code /eventbus/websocket}) through {@code client}. */
  private static WebSocket rawSocket(WebSocketClient client) {
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(portal.port())
      .setURI("/eventbus/websocket")).await();
  }

  @Test
  @DisplayName("raw WebSocket: messages of 7-bit, 16-bit and 64-bit payload lengths arrive as one binary frame each")
  void rawLengths() throws Exception {
    WebSocketClient client = portal.node().vertx().createWebSocketClient(new WebSocketClientOptions()
      .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
    WebSocket ws = rawSocket(client);
    BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
    ws.frameHandler(f -> frames.add(f.isBinary() && f.isFinal() ? f.binaryData() : "unexpected " + f.type()));
    try {
      String room = Rooms.user(school.studentA.id());
      ws.writeTextMessage(register(room));
      Object joined = frames.poll(5, TimeUnit.SECONDS);
      assertTrue(joined instanceof Buffer, "the register is confirmed in a binary frame: " + joined);
      assertEquals("room:joined", ((Buffer) joined).toJsonObject().getJsonObject("body").getString("type"));
      for (int size : new int[] {10, 1_000, 70_000}) {
        JsonObject message = new JsonObject().put("type", "notifications:changed").put("filler", "x".repeat(size));
        RealtimeFixture.publish(portal, message, room);
        Object frame = frames.poll(5, TimeUnit.SECONDS);
        assertTrue(frame instanceof Buffer, "a binary frame for " + size + ": " + frame);
        JsonObject rec = ((Buffer) frame).toJsonObject();
        assertEquals("rec", rec.getString("type"));
        assertEquals(room, rec.getString("address"));
        assertEquals(message, rec.getJsonObject("body"));
      }
    } finally {
      ws.close().await();
      client.close().await();
    }
  }

  @Test
  @DisplayName("a client offering permessage-deflate (as browsers do) is answered without compression")
  void noCompression() {
    WebSocketClient client = portal.node().vertx().createWebSocketClient(new WebSocketClientOptions()
      .setTryUsePerMessageCompression(true).setTryUsePerFrameCompression(true));
    WebSocket ws = rawSocket(client);
    try {
      assertNull(ws.headers().get("Sec-WebSocket-Extensions"), ws.headers()::toString);
    } finally {
      ws.close().await();
      client.close().await();
    }
  }

  @Test
  @DisplayName("SockJS over WebSocket: 'o' on open, a register in a SockJS array, the message as one a[...] text frame")
  void sockJsWebSocket() throws Exception {
    WebSocketClient client = portal.node().vertx().createWebSocketClient();
    BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    // the handler is set before connecting: the server sends 'o' at once
    ClientWebSocket ws = client.webSocket();
    ws.frameHandler(f -> texts.add(f.isText() && f.isFinal() ? f.textData() : "unexpected " + f.type()));
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(portal.port())
      .setURI("/eventbus/123/transports1/websocket")).await();
    try {
      assertEquals("o", texts.poll(5, TimeUnit.SECONDS));
      String room = Rooms.user(school.studentA.id());
      ws.writeTextMessage(new JsonArray().add(register(room)).encode());
      String joined = texts.poll(5, TimeUnit.SECONDS);
      assertNotNull(joined);
      assertEquals("room:joined", new JsonObject(new JsonArray(joined.substring(1)).getString(0))
        .getJsonObject("body").getString("type"), "the register is confirmed in an a[...] frame");
      JsonObject message = new JsonObject().put("type", "notifications:changed").put("text", "é \"quoted\" " + "y".repeat(300));
      RealtimeFixture.publish(portal, message, room);
      String frame = texts.poll(5, TimeUnit.SECONDS);
      assertNotNull(frame);
      assertTrue(frame.startsWith("a["), frame);
      JsonArray batch = new JsonArray(frame.substring(1));
      assertEquals(1, batch.size());
      assertEquals(message, new JsonObject(batch.getString(0)).getJsonObject("body"));
    } finally {
      ws.close().await();
      client.close().await();
    }
  }

  @Test
  @DisplayName("SockJS xhr-streaming (a fallback): the register goes by xhr_send, the message comes down the stream")
  void sockJsXhrStreaming() throws Exception {
    HttpClient http = portal.node().vertx().createHttpClient();
    String base = "/eventbus/456/transports2/";
    BlockingQueue<String> chunks = new LinkedBlockingQueue<>();
    HttpClientResponse stream = http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(portal.port()).setURI(base + "xhr_streaming"))
      // as browsers send an empty POST; the body handler is set on the event loop, before any chunk arrives
      .compose(req -> req.putHeader("Content-Length", "0").send()
        .onSuccess(response -> response.handler(b -> chunks.add(b.toString()))))
      .await();
    try {
      assertEquals(200, stream.statusCode());
      assertTrue(next(chunks, "o\n"), "the open frame");
      String room = Rooms.user(school.studentA.id());
      int sent = http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(portal.port()).setURI(base + "xhr_send"))
        .compose(req -> req.putHeader("Content-Type", "text/plain").send(new JsonArray().add(register(room)).encode()))
        .await().statusCode();
      assertEquals(204, sent);
      RealtimeFixture.awaitMembers(portal, room, 1);
      JsonObject message = new JsonObject().put("type", "notifications:changed").put("data", new JsonObject().put("unreadCount", 4));
      RealtimeFixture.publish(portal, message, room);
      StringBuilder seen = new StringBuilder();
      JsonObject rec = null;
      for (int i = 0; i < 50 && rec == null; i++) {
        String chunk = chunks.poll(100, TimeUnit.MILLISECONDS);
        if (chunk == null) continue;
        seen.append(chunk);
        for (String line : seen.toString().split("\n")) {
          if (!line.startsWith("a[")) continue;
          JsonObject frame = new JsonObject(new JsonArray(line.substring(1)).getString(0));
          if (!"room:joined".equals(frame.getJsonObject("body").getString("type"))) rec = frame;
        }
      }
      assertNotNull(rec, "no message on the stream: " + seen);
      assertEquals(message, rec.getJsonObject("body"));
      // a body over the frame limit is refused before SockJS reads it
      int tooBig = http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(portal.port()).setURI(base + "xhr_send"))
        .compose(req -> req.putHeader("Content-Type", "text/plain").send("[\"" + "z".repeat(70_000) + "\"]"))
        .await().statusCode();
      assertEquals(413, tooBig);
    } finally {
      http.close().await();
    }
  }

  private static boolean next(BlockingQueue<String> chunks, String wanted) throws InterruptedException {
    StringBuilder seen = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      String chunk = chunks.poll(100, TimeUnit.MILLISECONDS);
      if (chunk != null) seen.append(chunk);
      if (seen.toString().contains(wanted)) return true;
    }
    assertNull(seen.toString(), "never saw " + wanted.trim());
    return false;
  }

  private static String register(String room) {
    return new JsonObject().put("type", "register").put("address", room)
      .put("headers", new JsonObject().put("Authorization", "Bearer " + school.studentA.token())).encode();
  }
}
