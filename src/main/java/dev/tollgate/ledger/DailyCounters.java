package dev.tollgate.ledger;

import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Tally;
import dev.tollgate.call.TokenKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link Tally} maps onto the {@code daily_spend} counter columns, in order: the counts, then
 * a column per token kind, the minute-metered audio, the tool calls, then per cost component, then
 * the total. Derived from the enums, so a new kind or component is one enum constant (and a
 * migration), not six lists.
 */
final class DailyCounters {
  static final List<String> COLUMNS = columns();

  private DailyCounters() {}

  private static List<String> columns() {
    List<String> c =
        new ArrayList<>(
            List.of("requests", "unpriced_requests", "estimated_requests", "repriced_requests"));
    for (TokenKind k : TokenKind.values()) {
      c.add(k.label() + "_tokens");
    }
    c.add("duration_ms");
    c.add("tool_calls"); // since V15; 0 in rows written before it
    for (CostComponent p : CostComponent.values()) {
      c.add("cost_" + p.label());
    }
    c.add("cost_total");
    return List.copyOf(c);
  }

  /** Binds a tally's counters from parameter {@code i} on; returns the next parameter index. */
  static int bind(PreparedStatement p, int i, Tally t) throws SQLException {
    p.setLong(i++, t.requests());
    p.setLong(i++, t.unpricedRequests());
    p.setLong(i++, t.estimatedRequests());
    p.setLong(i++, t.repricedRequests());
    for (TokenKind k : TokenKind.values()) {
      p.setLong(i++, t.tokens(k));
    }
    p.setLong(i++, t.durationMillis());
    p.setLong(i++, t.toolCalls());
    for (CostComponent c : CostComponent.values()) {
      p.setLong(i++, t.picos(c));
    }
    p.setLong(i++, t.totalPicos());
    return i;
  }

  /** Reads the counters (sums of them, in a report) from column {@code i} on. */
  static Tally read(ResultSet r, int i) throws SQLException {
    Tally t = new Tally().addCounts(r.getLong(i++), r.getLong(i++), r.getLong(i++), r.getLong(i++));
    for (TokenKind k : TokenKind.values()) {
      t.addTokens(k, r.getLong(i++));
    }
    t.addDurationMillis(r.getLong(i++));
    t.addToolCalls(r.getLong(i++));
    for (CostComponent c : CostComponent.values()) {
      t.addPicos(c, r.getLong(i++));
    }
    return t; // cost_total is the components' sum; Tally derives it
  }
}
