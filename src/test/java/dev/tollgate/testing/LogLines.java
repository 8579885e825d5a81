package dev.tollgate.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The lines one logger writes while a test runs (access lines, warnings), as they were formatted.
 */
public final class LogLines implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  public LogLines(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    lines.start();
    logger.addAppender(lines);
  }

  /** The access log's lines. */
  public static LogLines access() {
    return new LogLines("tollgate.access");
  }

  public List<String> formatted() {
    synchronized (lines.list) {
      return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** Every line, with its exception's text, joined: for "never appears anywhere" checks. */
  public String all() {
    synchronized (lines.list) {
      StringBuilder out = new StringBuilder();
      for (ILoggingEvent e : lines.list) {
        out.append(e.getFormattedMessage()).append('\n');
        if (e.getThrowableProxy() != null) {
          out.append(e.getThrowableProxy().getMessage()).append('\n');
        }
      }
      return out.toString();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(lines);
  }
}
