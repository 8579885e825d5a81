package dev.tollgate.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.LoggingConfig;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Switches Logback to the JSON layout when {@code logging.format: json}; sends a command's logs to
 * standard error when its standard output is data ({@code report}, {@code export focus > file}).
 */
final class Logging {
  private Logging() {}

  /**
   * Every console appender writes to standard error from now on: what a command prints (a CSV, a
   * JSON report, a new key's secret) is then all that reaches its standard output, whatever a
   * migration or a price source logs meanwhile.
   */
  static void toStderr() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    for (ch.qos.logback.classic.Logger logger : context.getLoggerList()) {
      logger.iteratorForAppenders().forEachRemaining(Logging::toStderr);
    }
  }

  private static void toStderr(
      ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
    if (appender instanceof ch.qos.logback.core.ConsoleAppender<?> console) {
      console.stop();
      console.setTarget("System.err");
      console.start();
    } else if (appender
        instanceof
        ch.qos.logback.core.AsyncAppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> async) {
      async.iteratorForAppenders().forEachRemaining(Logging::toStderr);
    }
  }

  static void configure(LoggingConfig logging) {
    if (!logging.json() || System.getProperty("logback.configurationFile") != null) {
      return;
    }
    URL json = Logging.class.getResource("/logback-json.xml");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    context.reset();
    try {
      configurator.doConfigure(json);
    } catch (JoranException e) {
      throw new ConfigException("logging.format: cannot set up JSON logging: " + e.getMessage(), e);
    }
  }
}
