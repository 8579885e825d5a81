package dev.tollgate.ledger;

import dev.tollgate.call.Tally;
import dev.tollgate.call.TokenKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The models of the calls in a range of days that match a condition, with calls and tokens: from
 * the calls ({@link #run}), or for the unpriced ones from the rollups' days plus the calls of the
 * first and last day each model was seen ({@link #fromRollup}).
 */
final class ModelsQuery {
  static final String UNPRICED = "status = 'unpriced'";

  private ModelsQuery() {}

  /**
   * @param where a fixed SQL condition on the calls (never built from input)
   */
  static List<UnpricedModel> run(DataSource db, LocalDate from, LocalDate to, String where)
      throws SQLException {
    List<UnpricedModel> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement(sql(where))) {
      p.setLong(1, from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      p.setLong(2, to.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new UnpricedModel(
                  r.getString(1),
                  r.getLong(2),
                  r.getLong(3),
                  r.getLong(4),
                  Instant.ofEpochMilli(r.getLong(5)),
                  Instant.ofEpochMilli(r.getLong(6))));
        }
      }
    }
    return out;
  }

  /**
   * The unpriced models from the rollups' totals by (model, day) of the unpriced calls: counts and
   * tokens summed here, first and last seen read from the calls of the one day each edge lies in
   * (one query per distinct edge day), so the calls read follow the days a model was first and last
   * seen, not the range. Over a month of 50 M calls the partial index of the whole range is half a
   * million entries; a day's is a thirtieth of that. Null when the calls no longer agree with the
   * totals (repriced or expired between the two reads): the caller reads the calls.
   */
  static List<UnpricedModel> fromRollup(DataSource db, Map<List<String>, Tally> byModelAndDay)
      throws SQLException {
    Map<String, Totals> models = new HashMap<>();
    for (Map.Entry<List<String>, Tally> e : byModelAndDay.entrySet()) {
      Tally t = e.getValue();
      models
          // No model is "" in the calls and null in the totals: named as the calls name it.
          .computeIfAbsent(LedgerRows.text(e.getKey().get(0)), m -> new Totals())
          .add(
              LocalDate.parse(e.getKey().get(1)),
              t.requests(),
              t.tokens(TokenKind.INPUT)
                  + t.tokens(TokenKind.CACHED_INPUT)
                  + t.tokens(TokenKind.CACHE_WRITE),
              t.tokens(TokenKind.OUTPUT) + t.tokens(TokenKind.REASONING));
    }
    Map<LocalDate, Map<String, Instant[]>> edges = new HashMap<>();
    for (Totals t : models.values()) {
      edges.put(t.first, null);
      edges.put(t.last, null);
    }
    for (LocalDate day : edges.keySet()) {
      Map<String, Instant[]> seen = new HashMap<>();
      for (UnpricedModel m : run(db, day, day.plusDays(1), UNPRICED)) {
        seen.put(m.model(), new Instant[] {m.firstSeen(), m.lastSeen()});
      }
      edges.put(day, seen);
    }
    List<UnpricedModel> out = new ArrayList<>(models.size());
    for (Map.Entry<String, Totals> e : models.entrySet()) {
      Totals t = e.getValue();
      Instant[] first = edges.get(t.first).get(e.getKey());
      Instant[] last = edges.get(t.last).get(e.getKey());
      if (first == null || last == null) {
        return null;
      }
      out.add(new UnpricedModel(e.getKey(), t.calls, t.input, t.output, first[0], last[1]));
    }
    out.sort(
        Comparator.comparingLong(UnpricedModel::calls)
            .reversed()
            .thenComparing(UnpricedModel::model));
    return out;
  }

  /** One model's sums across days, and the first and last day it was seen. */
  private static final class Totals {
    long calls;
    long input;
    long output;
    LocalDate first;
    LocalDate last;

    void add(LocalDate day, long calls, long input, long output) {
      this.calls += calls;
      this.input += input;
      this.output += output;
      first = first == null || day.isBefore(first) ? day : first;
      last = last == null || day.isAfter(last) ? day : last;
    }
  }

  /** The query; for the unpriced calls, V16's partial index holds every column it reads. */
  static String sql(String where) {
    return "SELECT model, COUNT(*), SUM(input_tokens), SUM(output_tokens), MIN(start_ms),"
        + " MAX(start_ms) FROM calls WHERE start_ms >= ? AND start_ms < ? AND "
        + where
        + " GROUP BY model ORDER BY COUNT(*) DESC, model";
  }
}
