package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The ledger's schema, migrated by Flyway: the scripts in {@code src/main/resources/db} ({@code
 * V<n>__<what>.sql}) and the Java ones listed below, all pending ones in one transaction ({@code
 * group}), under Flyway's lock (on PostgreSQL an advisory lock, so replicas starting together
 * migrate once). A ledger migrated by Tollgate's earlier runner (its {@code tollgate_schema} table)
 * is baselined at the version that runner reached, and Flyway applies what follows.
 */
public final class Migrations {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Migrations.class);
  static final String HISTORY = "flyway_schema_history";

  private Migrations() {}

  static Flyway flyway(DataSource db) {
    return flyway(db, null);
  }

  private static Flyway flyway(DataSource db, String baseline) {
    var config =
        Flyway.configure()
            .dataSource(db)
            .locations("classpath:db")
            .javaMigrations(
                new RollupsMigration(),
                new PriceVersionsMigration(),
                new VacuumSettingsMigration(),
                new UserRollupCoverMigration(),
                new CallPartitionsMigration(),
                new HourRollupMigration())
            .table(HISTORY)
            .group(true)
            .cleanDisabled(true)
            .loggers("slf4j");
    if (baseline != null) {
      config.baselineVersion(baseline).baselineDescription("tollgate_schema " + baseline);
    }
    return config.load();
  }

  /** Applies what is pending; a ledger from the earlier runner is baselined first. */
  static void migrate(DataSource db) throws SQLException {
    int legacy = legacyVersion(db);
    if (legacy > 0 && !hasHistory(db)) {
      flyway(db, Integer.toString(legacy)).baseline();
      LOG.info("Ledger schema handed to Flyway at version {} (its earlier runner's)", legacy);
    }
    var result = flyway(db).migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info(
          "Ledger schema migrated to version {} ({} migrations)",
          result.targetSchemaVersion,
          result.migrationsExecuted);
    }
  }

  /** {@code tollgate db info}: every migration, applied or pending. */
  public static List<MigrationInfo> info(Database db) {
    return Arrays.asList(flyway(db.dataSource()).info().all());
  }

  private static int legacyVersion(DataSource db) throws SQLException {
    if (!table(db, "tollgate_schema")) {
      return 0;
    }
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM tollgate_schema")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static boolean hasHistory(DataSource db) throws SQLException {
    return table(db, HISTORY);
  }

  private static boolean table(DataSource db, String name) throws SQLException {
    try (Connection c = db.getConnection()) {
      DatabaseMetaData m = c.getMetaData();
      try (ResultSet r = m.getTables(null, c.getSchema(), name, new String[] {"TABLE"})) {
        return r.next();
      }
    }
  }

  /** A script's statements: split on the semicolons that end a line, comments dropped. */
  static List<String> statements(String script) {
    return Arrays.stream(script.split(";\\s*\\n"))
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
