package dev.tollgate.ledger;

import dev.tollgate.call.Call;
import dev.tollgate.call.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls summed per row of every rollup ({@link Rollup#ALL}), then added to the rollups in one batch
 * each: how the writer, repricing and the V12 backfill all move the rollups, so the three cannot
 * sum differently.
 */
final class RollupSums {
  private final List<Rollup> rollups;
  private final List<Map<List<String>, Tally>> sums;
  private final RowKey probe = new RowKey();

  RollupSums() {
    this(Rollup.ALL);
  }

  /** Sums for some rollups only (a migration refilling one): {@link #write(Connection)} only. */
  RollupSums(List<Rollup> rollups) {
    this.rollups = rollups;
    this.sums = new ArrayList<>(rollups.size());
    rollups.forEach(r -> sums.add(new HashMap<>()));
  }

  void add(Call c) {
    for (int r = 0; r < rollups.size(); r++) {
      row(r, c).add(c);
    }
  }

  /** Takes a call out of its rows (repricing: the call as it was). */
  void subtract(Call c) {
    for (int r = 0; r < rollups.size(); r++) {
      row(r, c).subtract(c);
    }
  }

  /** The sums of {@code c}'s row in rollup {@code r}; a key is made only for a new row. */
  private Tally row(int r, Call c) {
    Map<List<String>, Tally> rows = sums.get(r);
    RowKey key = probe.of(rollups.get(r), c);
    Tally row = rows.get(key);
    if (row == null) {
      row = new Tally();
      rows.put(key.copy(), row);
    }
    return row;
  }

  /** One upsert per rollup, in {@link Rollup#ALL}'s order, for {@link #write(List)}. */
  static List<PreparedStatement> prepare(Connection c) throws SQLException {
    return prepare(c, Rollup.ALL);
  }

  private static List<PreparedStatement> prepare(Connection c, List<Rollup> rollups)
      throws SQLException {
    List<PreparedStatement> upserts = new ArrayList<>(rollups.size());
    for (Rollup r : rollups) {
      upserts.add(c.prepareStatement(r.upsert()));
    }
    return upserts;
  }

  /** Adds the sums to the rollups through statements from {@link #prepare}. */
  void write(List<PreparedStatement> upserts) throws SQLException {
    for (int r = 0; r < rollups.size(); r++) {
      PreparedStatement up = upserts.get(r);
      for (Map.Entry<List<String>, Tally> e : sums.get(r).entrySet()) {
        rollups.get(r).bind(up, e.getKey(), e.getValue());
        up.addBatch();
      }
      up.executeBatch();
    }
  }

  /** Adds the sums to the rollups on {@code c}, in its transaction. */
  void write(Connection c) throws SQLException {
    List<PreparedStatement> upserts = prepare(c, rollups);
    try {
      write(upserts);
    } finally {
      for (PreparedStatement p : upserts) {
        p.close();
      }
    }
  }
}
