package edu.mentoring.portal.operations;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code PORTAL_LOG_FORMAT} and {@code PORTAL_LOG_LEVEL} to the logback configuration of
 * {@code logback.xml}: the console appender gets the JSON encoder (one object per line: ISO-8601 timestamp, level,
 * logger, thread, message, requestId, stack trace) or the text pattern, and the root logger the level.
 */
public final class LogSetup {
  public static final String JSON = "json";
  public static final String TEXT = "text";
  /** The console appender's name in logback.xml. */
  static final String CONSOLE = "STDOUT";
  static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %X{requestId} - %msg%n";

  private LogSetup() {
  }

  public static void apply(String format, String level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    if (root.getAppender(CONSOLE) instanceof OutputStreamAppender<ILoggingEvent> console) {
      Encoder<ILoggingEvent> encoder = encoder(context, format);
      console.stop();
      console.setEncoder(encoder);
      console.start();
    }
  }

  /** The encoder of a format: tests attach it to an appender of their own. */
  public static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
    if (JSON.equals(format)) {
      LogstashEncoder json = new LogstashEncoder();
      json.setContext(context);
      json.setIncludeContext(false); // the logger context's name and properties on every line say nothing
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern(TEXT_PATTERN);
    text.start();
    return text;
  }
}
