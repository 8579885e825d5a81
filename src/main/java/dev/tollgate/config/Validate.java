package dev.tollgate.config;

import java.time.Duration;

/** Checks used by the config records; each failure names the YAML key. */
final class Validate {
  private Validate() {}

  static void notNull(Object value, String key) {
    if (value == null) {
      throw new ConfigException(key + ": is required");
    }
  }

  static void notBlank(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key + ": must not be empty");
    }
  }

  static void port(int port, String key) {
    // 0 asks the OS for a free port, which tests rely on.
    range(port, 0, 65535, key);
  }

  static void range(long value, long min, long max, String key) {
    if (value < min || value > max) {
      throw new ConfigException(
          key + ": must be between " + min + " and " + max + ", got " + value);
    }
  }

  static void positive(Duration d, String key) {
    notNull(d, key);
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(key + ": must be a positive duration, got " + d);
    }
  }

  static void nonNegative(Duration d, String key) {
    notNull(d, key);
    if (d.isNegative()) {
      throw new ConfigException(key + ": must not be negative, got " + d);
    }
  }
}
