package dev.tollgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The spend ledger.
 *
 * @param url a JDBC URL; empty means the embedded SQLite file {@code <data_dir>/ledger.db}
 * @param batchWindow how long the writer gathers calls before one commit (group commit)
 * @param batchMax the most calls in one commit
 * @param queueCapacity calls waiting for the writer; a full queue is counted and logged
 * @param retentionDays raw call rows older than this are deleted (daily totals are kept); 0 keeps
 *     all
 * @param poolSize database connections (PostgreSQL)
 * @param stallTimeout a writer with calls waiting that has committed nothing for this long (or
 *     whose thread died) turns {@code /readyz} red
 * @param password the database password, from an environment variable or a file (never from the
 *     config file, never printed: {@link #toString} leaves it out)
 */
public record LedgerConfig(
    Optional<String> url,
    Duration batchWindow,
    int batchMax,
    int queueCapacity,
    int retentionDays,
    int poolSize,
    Duration stallTimeout,
    Optional<String> password) {
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(30);

  public LedgerConfig(
      Optional<String> url,
      Duration batchWindow,
      int batchMax,
      int queueCapacity,
      int retentionDays,
      int poolSize,
      Duration stallTimeout) {
    this(
        url,
        batchWindow,
        batchMax,
        queueCapacity,
        retentionDays,
        poolSize,
        stallTimeout,
        Optional.empty());
  }

  /** A ledger with the default stall timeout. */
  public LedgerConfig(
      Optional<String> url,
      Duration batchWindow,
      int batchMax,
      int queueCapacity,
      int retentionDays,
      int poolSize) {
    this(url, batchWindow, batchMax, queueCapacity, retentionDays, poolSize, DEFAULT_STALL_TIMEOUT);
  }

  public LedgerConfig {
    url = url.filter(u -> !u.isBlank());
    password = password.filter(p -> !p.isEmpty());
    url.ifPresent(
        u -> {
          if (!u.startsWith("jdbc:sqlite:") && !u.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(
                "ledger.url: must be a jdbc:sqlite: or jdbc:postgresql: URL, got '"
                    + redacted(u)
                    + "'");
          }
        });
    Validate.positive(batchWindow, "ledger.batch_window");
    if (batchWindow.toMillis() > 1000) {
      throw new ConfigException(
          "ledger.batch_window: must be at most 1s (a kill can lose one window), got "
              + batchWindow);
    }
    Validate.range(batchMax, 1, 100_000, "ledger.batch_max");
    Validate.positive(stallTimeout, "ledger.stall_timeout");
    Validate.range(queueCapacity, 1, 10_000_000, "ledger.queue_capacity");
    Validate.range(retentionDays, 0, 36_500, "ledger.retention_days");
    Validate.range(poolSize, 1, 64, "ledger.pool_size");
  }

  /** A URL as it may be shown: any password in it replaced. */
  public static String redacted(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***")
        .replaceAll("//([^/@:]+):[^/@]*@", "//$1:***@");
  }

  @Override
  public String toString() {
    return "LedgerConfig[url="
        + url.map(LedgerConfig::redacted).orElse("(embedded SQLite)")
        + ", batchWindow="
        + batchWindow
        + ", batchMax="
        + batchMax
        + ", queueCapacity="
        + queueCapacity
        + ", retentionDays="
        + retentionDays
        + ", poolSize="
        + poolSize
        + ", stallTimeout="
        + stallTimeout
        + ", password="
        + (password.isPresent() ? "***" : "none")
        + "]";
  }
}
