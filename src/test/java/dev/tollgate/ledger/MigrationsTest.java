package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call;
import dev.tollgate.call.Dimension;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 30: the schema is Flyway's. A ledger the earlier runner left at V11 (its {@code
 * tollgate_schema} table, no Flyway history) is baselined there and brought to the newest version,
 * the rollups filled from its calls on the way; {@code tollgate db info} lists every migration.
 */
class MigrationsTest {
  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void drop() throws SQLException {
    ledgers.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aLedgerOfTheEarlierRunnerIsBaselinedAndMigrated(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      calls.add(RollupsTest.call(i));
    }
    try (Database db = Database.open(config, dir)) {
      try (LedgerWriter w = new LedgerWriter(db, config)) {
        calls.forEach(w::offer);
        Awaitility.await().until(() -> w.written() == calls.size());
      }
      // As the earlier release left it: its own version table at 11, nothing of V12 on.
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE flyway_schema_history");
        RollupsTest.dropSince12(s);
        s.execute(
            "CREATE TABLE tollgate_schema (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)");
        for (int v = 1; v <= 11; v++) {
          s.execute("INSERT INTO tollgate_schema VALUES (" + v + ", 0)");
        }
      }
    }
    try (Database db = Database.open(config, dir)) {
      List<String> history = new ArrayList<>();
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT version, type, success FROM flyway_schema_history ORDER BY installed_rank")) {
        while (r.next()) {
          history.add(r.getString(1) + " " + r.getString(2) + " " + r.getBoolean(3));
        }
      }
      assertThat(history)
          .containsExactly(
              "11 BASELINE true",
              "12 JDBC true",
              "13 SQL true",
              "14 SQL true",
              "15 JDBC true",
              "16 SQL true",
              "17 JDBC true",
              "18 SQL true",
              "19 JDBC true",
              "20 JDBC true",
              "21 JDBC true");
      LedgerReader reader = new LedgerReader(db.dataSource());
      long rolled =
          reader
              .totals(
                  LocalDate.parse("2026-11-01"),
                  LocalDate.parse("2026-12-31"),
                  List.of(Dimension.TEAM),
                  Map.of())
              .values()
              .stream()
              .mapToLong(t -> t.requests())
              .sum();
      assertThat(rolled).isEqualTo(calls.size());
      if (backend.equals("postgres")) {
        // V17, then V20: the calls are partitioned by month (up to two ahead, and a default), each
        // vacuumed as it grows, so V16's index answers alone.
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement();
            ResultSet r =
                s.executeQuery(
                    "SELECT p.relname, array_to_string(p.reloptions, ',') FROM pg_inherits i"
                        + " JOIN pg_class p ON p.oid = i.inhrelid"
                        + " JOIN pg_class t ON t.oid = i.inhparent WHERE t.relname = 'calls'"
                        + " AND t.relnamespace = to_regnamespace(current_schema())")) {
          List<String> partitions = new ArrayList<>();
          while (r.next()) {
            partitions.add(r.getString(1));
            assertThat(r.getString(2)).contains("autovacuum_vacuum_insert_scale_factor=0.01");
          }
          java.time.YearMonth now = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
          assertThat(partitions)
              .contains(
                  CallPartitions.DEFAULT,
                  CallPartitions.name(now),
                  CallPartitions.name(now.plusMonths(CallPartitions.AHEAD)));
        }
        // V19: the users rollup's key carries its counters, and that table is vacuumed as it
        // changes, so a project's users are read from the index alone.
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement();
            ResultSet r =
                s.executeQuery(
                    "SELECT i.indexdef, array_to_string(t.reloptions, ',') FROM pg_indexes i"
                        + " JOIN pg_class t ON t.relname = i.tablename"
                        + " AND t.relnamespace = to_regnamespace(current_schema())"
                        + " WHERE i.schemaname = current_schema()"
                        + " AND i.indexname = 'rollup_user_pkey'")) {
          assertThat(r.next()).isTrue();
          assertThat(r.getString(1))
              .contains("(team, project, day, end_user) INCLUDE (requests,")
              .contains("cost_total)");
          assertThat(r.getString(2)).contains("autovacuum_vacuum_scale_factor=0.01");
        }
      }
      assertThat(
              new SpendTotals(db.dataSource())
                  .source(LocalDate.parse("2026-11-01"), List.of(Dimension.PROVIDER), Map.of()))
          .isEqualTo("rollup_team");
      List<MigrationInfo> info = Migrations.info(db);
      // Below the baseline the earlier runner's; none pending, none failed.
      assertThat(info)
          .extracting(MigrationInfo::getState)
          .doesNotContain(
              org.flywaydb.core.api.MigrationState.PENDING,
              org.flywaydb.core.api.MigrationState.FAILED);
      assertThat(info.get(info.size() - 1).getVersion().getVersion()).isEqualTo("21");
    }
  }
}
