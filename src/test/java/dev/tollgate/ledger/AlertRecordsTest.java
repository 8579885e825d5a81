package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A threshold fires once per period across replicas; a row an earlier build recorded at a spend
 * below its threshold (its check overflowed) is taken over by the true alert, once.
 */
class AlertRecordsTest {
  private static final long LIMIT = 4_000_000L * 1_000_000_000_000L; // $4 M in pico-dollars

  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void drop() throws SQLException {
    ledgers.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aFalseAlertsRowGivesWayToTheTrueOneOnceAndATrueRowNever(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      AlertRecords alerts = new BudgetLedger(db.dataSource()).alertRecords();
      // As the overflowing build recorded it: 50 % "reached" at $0 spent, delivered.
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "INSERT INTO budget_alerts (budget, period_start_ms, threshold, fired_ms, replica,"
                + " spent_pico, limit_pico, attempts, delivered_ms) VALUES"
                + " ('big', 0, 50, 1000, 'old', 0, "
                + LIMIT
                + ", 1, 1001), ('big', 0, 100, 1000, 'old', 0, "
                + LIMIT
                + ", 1, 1001), ('big', 0, 0, 1000, 'old', 0, "
                + LIMIT
                + ", 1, 1001)");
      }
      long half = LIMIT / 2;
      assertThat(alerts.claim("big", 0, 50, "r1", half, LIMIT)).isTrue(); // the true alert
      assertThat(alerts.claim("big", 0, 50, "r2", half + 1, LIMIT)).isFalse(); // once
      // The forecast alert's row (threshold 0) says nothing of spend: never taken over.
      assertThat(alerts.claim("big", 0, 0, "r1", half, LIMIT)).isFalse();
      // A threshold nobody recorded yet: claimed as ever; then never again.
      assertThat(alerts.claim("big", 0, 80, "r1", LIMIT / 10 * 9, LIMIT)).isTrue();
      assertThat(alerts.claim("big", 0, 80, "r2", LIMIT / 10 * 9, LIMIT)).isFalse();

      var sent = alerts.alerts("big", 0);
      assertThat(sent)
          .extracting(AlertRecords.SentAlert::threshold)
          .containsExactly(0, 50, 80, 100);
      AlertRecords.SentAlert fifty = sent.get(1);
      assertThat(fifty.replica()).isEqualTo("r1");
      assertThat(fifty.attempts()).isZero();
      assertThat(fifty.deliveredMs()).isZero(); // to be sent again, truly this time
      assertThat(fifty.firedMs()).isGreaterThan(1000);
      AlertRecords.SentAlert hundred = sent.get(3);
      assertThat(hundred.replica()).isEqualTo("old"); // not reached yet: left as it is
    }
  }
}
