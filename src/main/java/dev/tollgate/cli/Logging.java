package dev.tollgate.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.LoggingConfig;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Switches Logback to the JSON layout when {@code logging.format: json}. */
final class Logging {
  private Logging() {}

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
