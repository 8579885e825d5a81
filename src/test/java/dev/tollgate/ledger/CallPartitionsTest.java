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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V20 on PostgreSQL: a ledger of several months moves into month partitions with every call and
 * total intact, the writer still records a call offered twice once, repricing finds a call in its
 * month, and retention drops the months wholly past its window and deletes the rest in batches.
 */
class CallPartitionsTest {
  @TempDir Path dir;

  @Test
  void anUnpartitionedLedgerMovesIntoMonthsAndRetentionDropsThem() throws Exception {
    try (TestLedgers ledgers = new TestLedgers()) {
      LedgerConfig base = ledgers.config("postgres");
      LedgerConfig config =
          new LedgerConfig(base.url(), Duration.ofMillis(50), 2000, 100_000, 0, 2);
      Instant now = Instant.now();
      YearMonth thisMonth = YearMonth.from(now.atOffset(ZoneOffset.UTC));
      // Calls in the month four back (30 of them), two back (20), and this one (10).
      List<Call> calls = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        int back = i < 30 ? 4 : i < 50 ? 2 : 0;
        Instant at =
            back == 0
                ? now.minusSeconds(60 + i)
                : thisMonth.minusMonths(back).atDay(3).atStartOfDay(ZoneOffset.UTC).toInstant();
        calls.add(RetentionTest.call(i, at.plusMillis(i)));
      }
      try (Database db = Database.open(config, dir)) {
        write(db, config, calls);
        // As a ledger before V20 was: one plain table keyed by id.
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement()) {
          s.execute("CREATE TABLE calls_plain (LIKE calls INCLUDING DEFAULTS)");
          s.execute("INSERT INTO calls_plain SELECT * FROM calls");
          s.execute("DROP TABLE calls");
          s.execute("ALTER TABLE calls_plain RENAME TO calls");
          s.execute("ALTER TABLE calls ADD PRIMARY KEY (id)");
          s.execute("CREATE INDEX calls_by_start ON calls (start_ms)");
          s.execute(
              "CREATE INDEX calls_unpriced ON calls (start_ms, model, input_tokens,"
                  + " output_tokens) WHERE status = 'unpriced'");
          s.execute("CREATE INDEX calls_estimated ON calls (start_ms) WHERE status = 'estimated'");
          RollupsTest.undoV21(s); // which came after
          s.execute("DELETE FROM flyway_schema_history WHERE version IN ('20', '21')");
          assertThat(CallPartitions.partitioned(c)).isFalse();
        }
      }
      try (Database db = Database.open(config, dir)) {
        try (Connection c = db.dataSource().getConnection()) {
          assertThat(CallPartitions.partitioned(c)).isTrue();
          // From the oldest call's month to two ahead, each with its calls; none in the default.
          List<String> expected = new ArrayList<>();
          for (YearMonth m = thisMonth.minusMonths(4);
              !m.isAfter(thisMonth.plusMonths(2));
              m = m.plusMonths(1)) {
            expected.add(CallPartitions.name(m));
          }
          assertThat(CallPartitions.months(c)).containsExactlyElementsOf(expected);
          assertThat(count(c, CallPartitions.name(thisMonth.minusMonths(4)))).isEqualTo(30);
          assertThat(count(c, CallPartitions.name(thisMonth.minusMonths(2)))).isEqualTo(20);
          assertThat(count(c, CallPartitions.name(thisMonth))).isEqualTo(10);
          assertThat(count(c, CallPartitions.DEFAULT)).isZero();
        }
        LedgerReader reader = new LedgerReader(db.dataSource());
        assertThat(reader.count()).isEqualTo(60);
        // Offered again (a retried commit) in one batch behind a new call, every call is still
        // recorded once. (The driver rewrites the batch into multi-row inserts and reports only
        // "no info" for one that wrote some of its rows, so the writer must find the ten itself.)
        List<Call> again = new ArrayList<>();
        again.add(RetentionTest.call(60, now.minusSeconds(30)));
        again.addAll(calls.subList(50, 60));
        write(db, config, again);
        assertThat(reader.count()).isEqualTo(61);
        LocalDate from = thisMonth.minusMonths(5).atDay(1);
        LocalDate to = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1);
        assertThat(requests(reader, from, to)).isEqualTo(61);
        // Repricing finds a call in its month.
        Call before = calls.get(55);
        Call after = RollupsTest.repriced(before, "gpt-5.4@2", "0.002");
        assertThat(
                new Repricings(db.dataSource())
                    .apply(List.of(new Repricings.Change(before, after))))
            .hasSize(1);

        // Retention of 45 days: the month four back is dropped whole (it ends before the cutoff);
        // the calls two months back are older than the cutoff too, dropped with their month or
        // deleted in a batch (whether that month ends before the cutoff depends on today's date).
        // This month's calls stay.
        Retention retention = new Retention(db, 45);
        Instant cutoff = now.minus(Duration.ofDays(45));
        long olderThanCutoff = calls.stream().filter(x -> x.start().isBefore(cutoff)).count();
        assertThat(retention.deleteExpired(now)).isEqualTo(olderThanCutoff);
        assertThat(reader.count()).isEqualTo(61 - olderThanCutoff);
        try (Connection c = db.dataSource().getConnection()) {
          assertThat(CallPartitions.months(c))
              .doesNotContain(CallPartitions.name(thisMonth.minusMonths(4)))
              .contains(
                  CallPartitions.name(thisMonth), CallPartitions.name(thisMonth.plusMonths(2)));
        }
        // The totals stay whole.
        assertThat(requests(reader, from, to)).isEqualTo(61);
      }
    }
  }

  private static void write(Database db, LedgerConfig config, List<Call> calls) {
    try (LedgerWriter w = new LedgerWriter(db, config)) {
      calls.forEach(w::offer);
      Awaitility.await().until(() -> w.done() >= calls.size());
    }
  }

  private static long requests(LedgerReader reader, LocalDate from, LocalDate to)
      throws SQLException {
    return reader.totals(from, to, List.of(Dimension.TEAM), Map.of()).values().stream()
        .mapToLong(t -> t.requests())
        .sum();
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    }
  }
}
