package dev.tollgate.ledger;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.background.Courtesy;
import dev.tollgate.call.Call;
import dev.tollgate.call.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The ledger writer's connection and prepared statements, kept across commits (preparing them per
 * commit cost as much as binding a hundred rows), and the one transaction a batch is written in.
 *
 * <p>Exactly once: a batch is one transaction for {@code calls}, {@code daily_spend} and the
 * rollups ({@link Rollup}) together, and the totals add only the rows that insert actually wrote
 * ({@code ON CONFLICT (id) DO NOTHING}), so a call written once is counted once however often its
 * batch is retried; a retry (whose earlier attempt may have committed without the writer hearing
 * so, as when a PostgreSQL connection drops during COMMIT) first leaves out the calls the ledger
 * already holds.
 *
 * <p>On PostgreSQL the driver rewrites each batch into multi-row inserts ({@code
 * reWriteBatchedInserts}, set by {@link Database}; about a third more rows a second), and then
 * reports no count per row: every batch there first leaves out the calls the ledger holds, looked
 * up by id within the batch's start times (so only their months' partitions are read).
 *
 * <p>After any error the connection is evicted from the pool, never reused: after {@code
 * SQLITE_FULL} or an I/O error SQLite may have rolled the transaction back on its own while the
 * driver still believes one is open, and every statement on that connection would then commit by
 * itself (that is how a full disk once counted each retry into the daily totals again). A fresh
 * connection starts a real transaction.
 */
final class WriterSession implements AutoCloseable {
  private static final int ID_LOOKUP_CHUNK = 500;

  private final DataSource source;
  private final long maxAgeNanos;
  private Connection conn;
  private PreparedStatement calls;
  private PreparedStatement totals;
  private List<PreparedStatement> rollups; // RollupSums.prepare's
  private boolean countsUnknown; // PostgreSQL: rewritten batches report SUCCESS_NO_INFO
  private long openedNanos;

  WriterSession(DataSource source, long maxAgeNanos) {
    this.source = source;
    this.maxAgeNanos = maxAgeNanos;
  }

  /**
   * Writes {@code batch} in one transaction; returns how many of its calls were new to the ledger.
   *
   * @param retry an earlier attempt at this batch failed: it may have committed all the same
   * @param rowsPerStep rows bound per {@code executeBatch}, with a courteous pause between steps
   */
  int write(List<Call> batch, boolean retry, int rowsPerStep, Courtesy courtesy)
      throws SQLException {
    try {
      ensureOpen();
      List<Call> todo = retry || countsUnknown ? unrecorded(batch) : batch;
      Map<LedgerRows.DailyKey, Tally> daily = new HashMap<>();
      RollupSums rolled = new RollupSums();
      int inserted = 0;
      for (int from = 0; from < todo.size(); from += rowsPerStep) {
        List<Call> step = todo.subList(from, Math.min(todo.size(), from + rowsPerStep));
        for (Call c : step) {
          LedgerRows.bindCall(calls, c);
          calls.addBatch();
        }
        int[] counts = calls.executeBatch();
        for (int i = 0; i < step.size(); i++) {
          // A row the insert skipped (its id is there already) adds nothing to the totals. A
          // driver that reports no count (SUCCESS_NO_INFO) wrote it: those calls the ledger
          // already held were left out above.
          if (counts[i] != 0) {
            Call c = step.get(i);
            daily.computeIfAbsent(LedgerRows.DailyKey.of(c), k -> new Tally()).add(c);
            rolled.add(c);
            inserted++;
          }
        }
        courtesy.pause();
      }
      for (Map.Entry<LedgerRows.DailyKey, Tally> e : daily.entrySet()) {
        LedgerRows.bindDaily(totals, e.getKey(), e.getValue());
        totals.addBatch();
      }
      if (!daily.isEmpty()) {
        totals.executeBatch();
        rolled.write(rollups);
      }
      conn.commit();
      return inserted;
    } catch (SQLException | RuntimeException e) {
      discard();
      throw e;
    }
  }

  /** The calls of {@code batch} the ledger does not hold yet. */
  private List<Call> unrecorded(List<Call> batch) throws SQLException {
    Set<String> there = new HashSet<>();
    for (int from = 0; from < batch.size(); from += ID_LOOKUP_CHUNK) {
      List<Call> chunk = batch.subList(from, Math.min(batch.size(), from + ID_LOOKUP_CHUNK));
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Call c : chunk) {
        first = Math.min(first, c.start().toEpochMilli());
        last = Math.max(last, c.start().toEpochMilli());
      }
      // The start times bound the lookup to the chunk's months on a partitioned table; a call's
      // id and start time never change, so a recorded call is always within them.
      String sql =
          "SELECT id FROM calls WHERE start_ms BETWEEN ? AND ? AND id IN ("
              + String.join(",", Collections.nCopies(chunk.size(), "?"))
              + ")";
      try (PreparedStatement p = conn.prepareStatement(sql)) {
        p.setLong(1, first);
        p.setLong(2, last);
        for (int i = 0; i < chunk.size(); i++) {
          p.setString(i + 3, chunk.get(i).id());
        }
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            there.add(r.getString(1));
          }
        }
      }
    }
    if (there.isEmpty()) {
      return batch;
    }
    List<Call> todo = new ArrayList<>(batch.size() - there.size());
    for (Call c : batch) {
      if (!there.contains(c.id())) {
        todo.add(c);
      }
    }
    return todo;
  }

  /**
   * Opens the connection if there is none, or renews one older than the maximum age. Called at
   * start too, so the first call's commit does not also pay for connecting and preparing.
   */
  void ensureOpen() throws SQLException {
    if (conn != null && System.nanoTime() - openedNanos > maxAgeNanos) {
      close();
    }
    if (conn == null) {
      Connection c = source.getConnection();
      try {
        c.setAutoCommit(false);
        calls = c.prepareStatement(LedgerRows.INSERT_CALL);
        totals = c.prepareStatement(LedgerRows.UPSERT_DAILY);
        rollups = RollupSums.prepare(c);
        countsUnknown = Database.postgres(c);
      } catch (SQLException e) {
        evict(c);
        throw e;
      }
      conn = c;
      openedNanos = System.nanoTime();
    }
  }

  /** After an error: the connection leaves the pool for good (its state cannot be trusted). */
  private void discard() {
    if (conn != null) {
      evict(conn);
    }
    conn = null;
    calls = null;
    totals = null;
    rollups = null;
  }

  private void evict(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // closing it below ends any transaction the database still has open
    }
    if (source instanceof HikariDataSource pool) {
      pool.evictConnection(c); // closes the physical connection
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // broken: nothing more to do with it
    }
  }

  /** Gives a healthy connection back to the pool (rolling back anything uncommitted). */
  @Override
  public void close() {
    if (conn == null) {
      return;
    }
    try {
      conn.rollback();
      conn.close(); // closes its statements too
    } catch (SQLException e) {
      discard();
      return;
    }
    conn = null;
    calls = null;
    totals = null;
    rollups = null;
  }
}
