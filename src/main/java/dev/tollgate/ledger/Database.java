package dev.tollgate.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.LedgerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The ledger database: the embedded SQLite file by default, PostgreSQL when replicas share one.
 * Opening it applies any schema migration not yet applied, in order, in one transaction (on
 * PostgreSQL under an advisory lock, so replicas starting together do not race).
 */
public final class Database implements AutoCloseable {
  private static final List<String> MIGRATIONS =
      List.of(
          "V1__calls.sql",
          "V2__calls_without_day_index.sql",
          "V3__repricing.sql",
          "V4__price_history.sql",
          "V5__budgets.sql",
          "V6__provider.sql",
          "V7__tool_quota.sql",
          "V8__websocket_turns.sql",
          "V9__duration_meter.sql",
          "V10__price_sources.sql",
          "V11__viewers.sql",
          "V12__rollups.sql",
          "V13__jobs.sql",
          "V14__virtual_keys.sql");
  private static final String LEDGER_FILE = "ledger.db";
  private static final long MIGRATION_LOCK = 0x7011_6a7eL;

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
    String url = config.url().orElseGet(() -> sqliteUrl(dataDir));
    boolean postgres = url.startsWith("jdbc:postgresql:");
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(postgres ? url : withSqlitePragmas(url));
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
    try {
      db.migrate();
    } catch (SQLException | IOException e) {
      pool.close();
      throw new ConfigException(
          "ledger: cannot prepare the schema in " + redact(url) + ": " + e.getMessage(), e);
    }
    return db;
  }

  public DataSource dataSource() {
    return pool;
  }

  public boolean postgres() {
    return postgres;
  }

  private void migrate() throws SQLException, IOException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      if (postgres) {
        s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      }
      s.execute(
          "CREATE TABLE IF NOT EXISTS tollgate_schema (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)");
      int current;
      try (ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM tollgate_schema")) {
        r.next();
        current = r.getInt(1);
      }
      for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
        for (String sql : statements(MIGRATIONS.get(v - 1))) {
          s.execute(sql);
        }
        if (MIGRATIONS.get(v - 1).equals("V12__rollups.sql")) {
          RollupBackfill.fill(c); // from the calls already there, in this same transaction
        }
        s.execute(
            "INSERT INTO tollgate_schema (version, applied_ms) VALUES ("
                + v
                + ", "
                + System.currentTimeMillis()
                + ")");
      }
      c.commit();
    }
  }

  private static List<String> statements(String script) throws IOException {
    try (InputStream in = Database.class.getResourceAsStream("/db/" + script)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return java.util.Arrays.stream(text.split(";\\s*\\n"))
          .map(
              sql ->
                  sql.lines()
                      .filter(l -> !l.trim().startsWith("--"))
                      .reduce("", (a, b) -> a + "\n" + b)
                      .trim())
          .filter(sql -> !sql.isEmpty())
          .toList();
    }
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
