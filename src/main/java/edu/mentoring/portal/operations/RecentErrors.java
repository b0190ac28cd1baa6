package edu.mentoring.portal.operations;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last warnings and errors this process logged (logback.xml attaches it to the root logger), for the admins'
 * cluster panel: time, level, logger, message and request id; no stack traces. The log lines themselves carry no
 * personal data (LogsTest), so neither does this.
 */
public final class RecentErrors extends AppenderBase<ILoggingEvent> {
  static final int KEPT = 10;
  private static final Deque<JsonObject> RECENT = new ArrayDeque<>();

  @Override
  protected void append(ILoggingEvent event) {
    if (!event.getLevel().isGreaterOrEqual(Level.WARN)) return;
    String logger = event.getLoggerName();
    JsonObject entry = new JsonObject()
      .put("at", Instant.ofEpochMilli(event.getTimeStamp()).toString())
      .put("level", event.getLevel().toString())
      .put("logger", logger.substring(logger.lastIndexOf('.') + 1))
      .put("message", event.getFormattedMessage())
      .put("requestId", event.getMDCPropertyMap().get(RequestIdMdc.KEY));
    synchronized (RECENT) {
      RECENT.addFirst(entry);
      while (RECENT.size() > KEPT) RECENT.removeLast();
    }
  }

  /** Newest first. */
  public static JsonArray snapshot() {
    synchronized (RECENT) {
      return new JsonArray(RECENT.stream().map(JsonObject::copy).map(Object.class::cast).toList());
    }
  }
}
