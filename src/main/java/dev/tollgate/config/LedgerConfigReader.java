package dev.tollgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/** Reads {@code ledger:}, with the environment's URL and password (see {@link #read}). */
final class LedgerConfigReader {
  private LedgerConfigReader() {}

  /**
   * The ledger: {@code TOLLGATE_LEDGER_URL} wins over {@code ledger.url} (a container needs no
   * config file to reach PostgreSQL); the password comes from the environment variable {@code
   * ledger.password_env} names (default {@code TOLLGATE_LEDGER_PASSWORD}) or the file {@code
   * ledger.password_file} or {@code TOLLGATE_LEDGER_PASSWORD_FILE} names (a mounted secret).
   */
  static LedgerConfig read(
      Section s, Function<String, Optional<String>> env, Function<String, Path> path) {
    Optional<String> fromFile = Optional.ofNullable(s.string("url", null)); // read: a known key
    Optional<String> url = env.apply("TOLLGATE_LEDGER_URL").or(() -> fromFile);
    String passwordEnv = s.string("password_env", "TOLLGATE_LEDGER_PASSWORD");
    String passwordFileKey = s.string("password_file", null);
    String passwordFile = env.apply("TOLLGATE_LEDGER_PASSWORD_FILE").orElse(passwordFileKey);
    Optional<String> password = env.apply(passwordEnv);
    if (password.isEmpty() && passwordFile != null) {
      Path file = path.apply(passwordFile);
      try {
        password = Optional.of(java.nio.file.Files.readString(file).strip());
      } catch (java.io.IOException e) {
        throw new ConfigException(
            "ledger.password_file: cannot read "
                + file
                + " ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
    return new LedgerConfig(
        url,
        s.duration("batch_window", Duration.ofMillis(100)),
        (int) s.integer("batch_max", 2000),
        (int) s.integer("queue_capacity", 100_000),
        (int) s.integer("retention_days", 90),
        (int) s.integer("pool_size", 4),
        s.duration("stall_timeout", LedgerConfig.DEFAULT_STALL_TIMEOUT),
        password);
  }
}
