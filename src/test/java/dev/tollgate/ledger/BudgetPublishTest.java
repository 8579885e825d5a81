package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica's budget share is published in one transaction that reads the others' holds and then
 * writes its own: on SQLite a commit of the ledger writer between the two must not fail it.
 */
class BudgetPublishTest {
  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void drop() throws SQLException {
    ledgers.close();
  }

  @Test
  void aWriteCommittedByAnotherConnectionMidPublishDoesNotFailIt() throws Exception {
    LedgerConfig config = ledgers.config("sqlite");
    try (Database db = Database.open(config, dir)) {
      BudgetLedger ledger = new BudgetLedger(db.dataSource());
      ledger.publish("b", "r1", 0, 5, 0, 0, (others, n) -> 1);
      AtomicReference<Throwable> otherWrite = new AtomicReference<>();
      // The rule runs between the read and the write: another connection (the ledger writer's
      // place) commits a write there. Before the publish took the write lock first, that commit
      // made SQLite refuse the publish's upgrade to a writer at once (SQLITE_BUSY).
      BudgetLedger.Others o =
          ledger.publish(
              "b",
              "r2",
              0,
              7,
              0,
              0,
              (others, n) -> {
                try (Connection c =
                        DriverManager.getConnection(
                            "jdbc:sqlite:" + dir.resolve("ledger.db") + "?busy_timeout=200");
                    Statement s = c.createStatement()) {
                  s.executeUpdate("UPDATE budget_replicas SET heartbeat_ms = heartbeat_ms + 1");
                } catch (SQLException e) {
                  otherWrite.set(e);
                }
                return others + 100;
              });
      assertThat(o.allowance()).isEqualTo(106); // r1 holds 5 and was allowed 1
      // The other writer waited for the publish's lock (and here gave up after 200 ms), instead
      // of slipping a commit in between its read and its write.
      assertThat(otherWrite.get()).isInstanceOf(SQLException.class).hasMessageContaining("BUSY");
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery("SELECT replica, held_pico FROM budget_replicas ORDER BY replica")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("r1");
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("r2");
        assertThat(r.getLong(2)).isEqualTo(7);
      }
      // A rule that throws leaves nothing written and the connection usable.
      assertThatThrownBy(
              () ->
                  ledger.publish(
                      "b",
                      "r3",
                      0,
                      1,
                      0,
                      0,
                      (others, n) -> {
                        throw new IllegalStateException("no");
                      }))
          .hasMessage("no");
      ledger.publish("b", "r1", 0, 9, 0, 0, (others, n) -> 2);
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*) FROM budget_replicas")) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(2);
      }
    }
  }
}
