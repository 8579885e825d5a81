package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.testing.TestLedgers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V16: the unpriced models of a range of days are read from the partial index alone (SQLite's plan
 * says so), and say what the calls say.
 */
class UnpricedModelsIndexTest {
  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void drop() throws SQLException {
    ledgers.close();
  }

  @Test
  void theUnpricedModelsComeFromTheIndexAloneAndMatchTheCalls() throws Exception {
    LedgerConfig config = ledgers.config("sqlite");
    try (Database db = Database.open(config, dir)) {
      List<Call> calls = RollupsTest.calls();
      RollupsTest.write(db, config, calls);
      try (Connection c = db.dataSource().getConnection();
          PreparedStatement p =
              c.prepareStatement("EXPLAIN QUERY PLAN " + ModelsQuery.sql(ModelsQuery.UNPRICED))) {
        p.setLong(1, 0);
        p.setLong(2, Long.MAX_VALUE);
        StringBuilder plan = new StringBuilder();
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            plan.append(r.getString(4)).append('\n');
          }
        }
        assertThat(plan.toString()).contains("USING COVERING INDEX calls_unpriced");
      }
      List<UnpricedModel> models =
          new LedgerReader(db.dataSource()).unpriced(RollupsTest.FIRST, RollupsTest.END);
      List<Call> unpriced =
          calls.stream().filter(c -> c.status() == PricingStatus.UNPRICED).toList();
      assertThat(models.stream().mapToLong(UnpricedModel::calls).sum()).isEqualTo(unpriced.size());
      assertThat(models.stream().mapToLong(UnpricedModel::inputTokens).sum())
          .isEqualTo(unpriced.stream().mapToLong(c -> c.usage().input()).sum());
    }
  }
}
