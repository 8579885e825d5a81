package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.Statement;

/**
 * V19, PostgreSQL only: {@code rollup_user}'s key carries its counters ({@code INCLUDE}), so the
 * users of a project are read from the key's index alone, in (team, project, day) order.
 *
 * <p>Why: the rows of one project's month are written a few at a time among every other project's,
 * so in the table they lie one to a page; at 3 million calls the console's "users of a project"
 * (42,500 rows) read 43,000 pages and took 0.7–0.9 s after a vacuum, 40–100 ms from the covering
 * key. The price is that an update of a row's counters is no longer a heap-only one (the key index
 * holds them); measured on ingest in docs/PERFORMANCE.md. Index-only reads skip the table only on
 * pages a vacuum marked all-visible, so autovacuum visits this table after 1 % of its size in new
 * or changed rows rather than the default 20 %, as V17 does for {@code calls}. The column list is
 * spelled out: a later migration's column must not reach back into this one.
 *
 * <p>On SQLite, whose users query stays under its target without it (docs/PERFORMANCE.md), nothing.
 */
final class UserRollupCoverMigration extends PostgresMigration {
  private static final String COUNTERS =
      "requests, unpriced_requests, estimated_requests, repriced_requests, input_tokens,"
          + " cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,"
          + " duration_ms, tool_calls, cost_input, cost_cached_input, cost_cache_write,"
          + " cost_output, cost_reasoning, cost_tools, cost_duration, cost_total";

  UserRollupCoverMigration() {
    super("19", "users rollup read from its key", 19_001); // change the number with the statements
  }

  @Override
  void apply(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute(
          "ALTER TABLE rollup_user DROP CONSTRAINT rollup_user_pkey,"
              + " ADD PRIMARY KEY (team, project, day, end_user) INCLUDE ("
              + COUNTERS
              + ")");
      s.execute(
          "ALTER TABLE rollup_user SET (autovacuum_vacuum_scale_factor = 0.01,"
              + " autovacuum_vacuum_insert_scale_factor = 0.01)");
    }
  }
}
