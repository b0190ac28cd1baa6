package edu.mentoring.portal.realtime;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;

/**
 * One outgoing bridge frame, encoded once per room per event and shared by every socket it is written to:
 * the raw JSON for plain WebSockets, and (computed on first use) the SockJS framing {@code a["<escaped>"]}.
 */
public final class Frame {
  private final Buffer raw;
  private volatile String sockJs;

  public Frame(Buffer raw) {
    this.raw = raw;
  }

  public Buffer raw() {
    return raw;
  }

  /** A benign race: two loops may both compute the same string once. */
  public String sockJs() {
    String s = sockJs;
    if (s == null) {
      s = "a" + new JsonArray().add(raw.toString()).encode();
      sockJs = s;
    }
    return s;
  }

  public int length() {
    return raw.length();
  }
}
