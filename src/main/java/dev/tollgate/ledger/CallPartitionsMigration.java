package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * V20, PostgreSQL only: {@code calls} partitioned by month ({@link CallPartitions}), so that
 * retention drops a month whole rather than deleting it in millions of row-by-row batches, and each
 * month's indexes stay the size of a month. The calls are moved into the new table in the
 * migration's transaction (minutes for tens of millions of calls: `tollgate db migrate` ahead of a
 * rollout keeps that out of a replica's start), and the indexes are made after the move.
 *
 * <p>The key becomes (id, start_ms): PostgreSQL requires a partitioned table's unique keys to hold
 * its partition column. A call's row is written with its own start, so the same call offered twice
 * still conflicts with itself, and the writer still records it exactly once.
 *
 * <p>Already partitioned (a rerun over a ledger a test rewound): nothing. On SQLite: nothing.
 */
final class CallPartitionsMigration extends PostgresMigration {
  CallPartitionsMigration() {
    super("20", "calls partitioned by month", 20_001); // change the number with the statements
  }

  @Override
  void apply(Connection c) throws Exception {
    if (CallPartitions.partitioned(c)) {
      return;
    }
    try (Statement s = c.createStatement()) {
      Long first = null;
      try (ResultSet r = s.executeQuery("SELECT MIN(start_ms) FROM calls")) {
        if (r.next()) {
          long v = r.getLong(1);
          first = r.wasNull() ? null : v;
        }
      }
      s.execute("ALTER TABLE calls RENAME TO calls_v19");
      s.execute(
          "CREATE TABLE calls (LIKE calls_v19 INCLUDING DEFAULTS) PARTITION BY RANGE (start_ms)");
      YearMonth now = YearMonth.now(ZoneOffset.UTC);
      YearMonth from = first == null ? now : CallPartitions.month(first);
      CallPartitions.ensure(
          c, from.isAfter(now) ? now : from, now.plusMonths(CallPartitions.AHEAD));
      s.execute(
          "CREATE TABLE "
              + CallPartitions.DEFAULT
              + " PARTITION OF calls DEFAULT WITH (autovacuum_vacuum_insert_scale_factor = 0.01)");
      s.execute("INSERT INTO calls SELECT * FROM calls_v19");
      s.execute("DROP TABLE calls_v19");
      // V1's, V12's and V16's indexes, made once the rows are in.
      s.execute("ALTER TABLE calls ADD PRIMARY KEY (id, start_ms)");
      s.execute("CREATE INDEX calls_by_start ON calls (start_ms)");
      s.execute(
          "CREATE INDEX calls_unpriced ON calls (start_ms, model, input_tokens, output_tokens)"
              + " WHERE status = 'unpriced'");
      s.execute("CREATE INDEX calls_estimated ON calls (start_ms) WHERE status = 'estimated'");
    }
  }
}
