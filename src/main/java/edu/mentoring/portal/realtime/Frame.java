package edu.mentoring.portal.realtime;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;

import java.nio.charset.StandardCharsets;

/**
 * One outgoing bridge frame, encoded once per room per event and shared by every socket it is written to: the raw
 * JSON (for the SockJS fallbacks), and, computed on first use, the complete WebSocket frames — header and payload,
 * the very bytes every WebSocket of the room receives (server frames are not masked, so they are the same for all):
 * a binary frame of the JSON for raw bridge sockets, a text frame of the SockJS framing {@code a["<escaped>"]} for
 * SockJS over WebSocket.
 */
public final class Frame {
  private static final int TEXT = 0x1;
  private static final int BINARY = 0x2;

  private final Buffer raw;
  // benign races: two loops may both compute the same bytes once
  private volatile String sockJs;
  private volatile byte[] binaryFrame;
  private volatile byte[] sockJsFrame;

  public Frame(Buffer raw) {
    this.raw = raw;
  }

  public Buffer raw() {
    return raw;
  }

  public String sockJs() {
    String s = sockJs;
    if (s == null) {
      s = "a" + new JsonArray().add(raw.toString()).encode();
      sockJs = s;
    }
    return s;
  }

  /** The whole WebSocket frame carrying this bridge frame: binary for raw sockets, SockJS text otherwise. */
  byte[] webSocketFrame(boolean sockJsFraming) {
    if (sockJsFraming) {
      byte[] f = sockJsFrame;
      if (f == null) sockJsFrame = f = webSocketFrame(TEXT, sockJs().getBytes(StandardCharsets.UTF_8));
      return f;
    }
    byte[] f = binaryFrame;
    if (f == null) binaryFrame = f = webSocketFrame(BINARY, raw.getBytes());
    return f;
  }

  /** RFC 6455 §5.2: FIN and the opcode, then the payload length in 7, 7+16 or 7+64 bits; no mask from a server. */
  static byte[] webSocketFrame(int opcode, byte[] payload) {
    int n = payload.length;
    int header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
    byte[] frame = new byte[header + n];
    frame[0] = (byte) (0x80 | opcode);
    if (n < 126) {
      frame[1] = (byte) n;
    } else if (n < 65_536) {
      frame[1] = 126;
      frame[2] = (byte) (n >>> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = 127;
      for (int i = 0; i < 8; i++) frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
    }
    System.arraycopy(payload, 0, frame, header, n);
    return frame;
  }

  public int length() {
    return raw.length();
  }
}
