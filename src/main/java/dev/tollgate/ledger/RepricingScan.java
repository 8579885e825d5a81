package dev.tollgate.ledger;

import dev.tollgate.call.Call;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The calls of the days in [from, to) that repricing reads: those recorded with one status ({@code
 * unpriced} or {@code estimated}), of one model or all, holding one of {@code reasons} (empty:
 * any), read a page at a time, oldest first.
 *
 * <p>Written for a ledger of tens of millions of calls, where a start or a catalog change used to
 * read the whole window: one status per scan, because each has its own partial index
 * (calls_unpriced, calls_estimated) and a query asking for both statuses can use neither; and a
 * page begins where the last one ended ({@code start_ms >= } the last call's start), not at the
 * window's first day, so pages do not each read again the calls before them.
 */
public record RepricingScan(
    LocalDate from, LocalDate to, PricingStatus status, String model, Set<Reason.Kind> reasons) {

  public RepricingScan {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (status != PricingStatus.UNPRICED && status != PricingStatus.ESTIMATED) {
      throw new IllegalArgumentException("repricing reads unpriced or estimated calls: " + status);
    }
    reasons = Set.copyOf(reasons);
  }

  /**
   * The page of at most {@code limit} calls after the call {@code (afterStartMs, afterId)} ({@code
   * Long.MIN_VALUE} and "" for the first page). Keyset paging: a long run holds no cursor open and
   * skips no row that a page's commit moved.
   */
  List<Call> page(DataSource db, long afterStartMs, String afterId, int limit) throws SQLException {
    List<Call> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql())) {
      bind(p, afterStartMs, afterId, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(CallRecords.read(r));
        }
      }
    }
    return out;
  }

  /** Binds {@link #sql()}'s parameters for the page after {@code (afterStartMs, afterId)}. */
  void bind(PreparedStatement p, long afterStartMs, String afterId, int limit) throws SQLException {
    int i = 1;
    // From the last page's end, not the window's start: each page reads only its own calls.
    p.setLong(
        i++, Math.max(from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), afterStartMs));
    p.setLong(i++, to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
    p.setLong(i++, afterStartMs);
    p.setString(i++, afterId);
    if (model != null) {
      p.setString(i++, model);
    }
    for (Reason.Kind k : reasons) {
      p.setString(i++, "%\"" + k.label() + "%"); // stored as a JSON array of "kind:detail"
    }
    p.setInt(i, limit);
  }

  /** The page's query: the bounds, the keyset, then the model and each reason as parameters. */
  String sql() {
    StringBuilder sql =
        new StringBuilder(
            // The status as a literal: a partial index serves a query only when the planner can
            // see its condition (SQLite and PostgreSQL's generic plans cannot through a parameter).
            "SELECT * FROM calls WHERE status = '"
                + status.label()
                + "' AND start_ms >= ? AND start_ms < ? AND (start_ms > ? OR id > ?)");
    if (model != null) {
      sql.append(" AND model = ?");
    }
    if (!reasons.isEmpty()) {
      // Narrows the rows fetched; the caller still checks each call's reasons itself.
      sql.append(" AND (");
      for (int i = 0; i < reasons.size(); i++) {
        sql.append(i == 0 ? "" : " OR ").append("reasons LIKE ?");
      }
      sql.append(')');
    }
    return sql.append(" ORDER BY start_ms, id LIMIT ?").toString();
  }
}
