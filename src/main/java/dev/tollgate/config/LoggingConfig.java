package dev.tollgate.config;

/**
 * Logging.
 *
 * @param format {@code text} or {@code json}
 * @param accessLog whether to write one access-log line per call
 */
public record LoggingConfig(String format, boolean accessLog) {
  public LoggingConfig {
    if (!"text".equals(format) && !"json".equals(format)) {
      throw new ConfigException("logging.format: must be 'text' or 'json', got '" + format + "'");
    }
  }

  public boolean json() {
    return "json".equals(format);
  }
}
