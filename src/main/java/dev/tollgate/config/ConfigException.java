package dev.tollgate.config;

/** A configuration problem, worded as the one line the CLI prints before exiting with code 2. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
