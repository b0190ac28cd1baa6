package edu.mentoring.portal.operations;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the request id of the calling context ({@link RequestIds}) into the MDC before each log call decides, so
 * every line written while serving a request carries {@code requestId}, whichever store or continuation writes it.
 * Event loops interleave requests, hence set or cleared on every call, never left behind.
 */
public final class RequestIdMdc extends TurboFilter {
  public static final String KEY = "requestId";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    String id = RequestIds.current();
    if (id != null) {
      MDC.put(KEY, id);
    } else if (MDC.get(KEY) != null) {
      MDC.remove(KEY);
    }
    return FilterReply.NEUTRAL;
  }
}
