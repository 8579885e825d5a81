package dev.tollgate.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.LedgerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The ledger database: the embedded SQLite file by default, PostgreSQL when replicas share one.
 * Opening it applies any schema migration not yet applied ({@link Migrations}: Flyway, in one
 * transaction, under its lock, so replicas starting together do not race).
 */
public final class Database implements AutoCloseable {
  private static final String LEDGER_FILE = "ledger.db";

  private final HikariDataSource pool;
  private final boolean postgres;

  private Database(HikariDataSource pool, boolean postgres) {
    this.pool = pool;
    this.postgres = postgres;
  }

  /**
   * Opens a ledger that must already hold calls, for commands that only read or correct it ({@code
   * report}, {@code reprice}): pointed at the wrong folder, they say so instead of creating an
   * empty {@code ledger.db} there and reporting $0.
   */
  public static Database openExisting(LedgerConfig config, Path dataDir) {
    if (!exists(config, dataDir)) {
      throw new ConfigException(
          "no ledger at "
              + dataDir.resolve(LEDGER_FILE)
              + ": nothing has been recorded with data_dir "
              + dataDir
              + " (point --config or TOLLGATE_DATA_DIR at the folder `tollgate serve` uses)");
    }
    return open(config, dataDir);
  }

  /** Whether there is a ledger to open: a database server, or the SQLite file in place. */
  public static boolean exists(LedgerConfig config, Path dataDir) {
    return config.url().isPresent() || Files.isRegularFile(dataDir.resolve(LEDGER_FILE));
  }

  /** Where the embedded ledger is, or would be. */
  public static Path file(Path dataDir) {
    return dataDir.resolve(LEDGER_FILE);
  }

  /** Opens (creating if needed) the ledger; problems are one-line {@link ConfigException}s. */
  public static Database open(LedgerConfig config, Path dataDir) {
    return open(config, dataDir, true);
  }

  /**
   * Opens the ledger; with {@code migrate} false its schema is left as it is ({@code tollgate db
   * info} looks before anything changes).
   */
  public static Database open(LedgerConfig config, Path dataDir, boolean migrate) {
    String url = config.url().orElseGet(() -> sqliteUrl(dataDir));
    boolean postgres = url.startsWith("jdbc:postgresql:");
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(postgres ? url : withSqlitePragmas(url));
    if (postgres) {
      // Each batch sent as multi-row inserts: about a third more ledger rows a second (bench's
      // fill, 300,000 calls: 5,400-5,700 -> 7,400-7,700). A parameter in the URL wins over this.
      hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    config.password().ifPresent(hikari::setPassword);
    hikari.setPoolName("tollgate-ledger");
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setConnectionTimeout(10_000);
    hikari.setInitializationFailTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new ConfigException("ledger: cannot open " + redact(url) + ": " + rootMessage(e), e);
    }
    Database db = new Database(pool, postgres);
    if (!migrate) {
      return db;
    }
    try {
      db.migrate();
    } catch (SQLException | RuntimeException e) {
      pool.close();
      throw new ConfigException(
          "ledger: cannot prepare the schema in " + redact(url) + ": " + rootMessage(e), e);
    }
    return db;
  }

  public DataSource dataSource() {
    return pool;
  }

  public boolean postgres() {
    return postgres;
  }

  /** Whether a connection is to PostgreSQL (for code that holds a connection, not the pool). */
  static boolean postgres(Connection c) throws SQLException {
    return c.getMetaData()
        .getDatabaseProductName()
        .toLowerCase(java.util.Locale.ROOT)
        .contains("postgres");
  }

  private void migrate() throws SQLException {
    Migrations.migrate(pool);
    // PostgreSQL from V20 on: this month's partition before any call is written. A replica starting
    // after its months ran out would otherwise put its first calls in the default partition
    // before the daily job ran, and that month could then not be made.
    CallPartitions.ensure(this, java.time.Instant.now());
  }

  private static String sqliteUrl(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new ConfigException("data_dir: cannot create " + dataDir + ": " + e.getMessage(), e);
    }
    return "jdbc:sqlite:" + dataDir.resolve(LEDGER_FILE);
  }

  /**
   * WAL lets reports read while the writer writes; synchronous=NORMAL in WAL mode survives a killed
   * process (only an OS crash can lose the last commits), at a fraction of FULL's cost.
   */
  private static String withSqlitePragmas(String url) {
    return url
        + (url.contains("?") ? "&" : "?")
        + "journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000";
  }

  private static String redact(String url) {
    return LedgerConfig.redacted(url);
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  public void close() {
    pool.close();
  }
}
