package dev.tollgate.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tollgate.call.Money;
import dev.tollgate.report.ReportRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A reconciliation as a table, JSON or CSV: one row per day and model. */
public final class ReconcileRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> COLUMNS =
      List.of(
          "day",
          "model",
          "finding",
          "cause",
          "provider_tokens",
          "ledger_tokens",
          "provider_usd",
          "ledger_usd",
          "drift_usd",
          "drift_percent");

  private ReconcileRenderer() {}

  /** The columns: with a team after the model when the comparison was per team too. */
  static List<String> columns(List<Finding> findings) {
    if (!byTeam(findings)) {
      return COLUMNS;
    }
    List<String> c = new ArrayList<>(COLUMNS);
    c.add(2, "team");
    return c;
  }

  private static boolean byTeam(List<Finding> findings) {
    return findings.stream().anyMatch(f -> f.team() != null);
  }

  static List<String> cells(Finding f, boolean byTeam) {
    List<String> c = new ArrayList<>(cells(f));
    if (byTeam) {
      c.add(2, f.team() == null ? "" : f.team());
    }
    return c;
  }

  static List<String> cells(Finding f) {
    BigDecimal pct = f.driftPercent();
    return List.of(
        f.day().toString(),
        f.model(),
        f.kind().label(),
        f.cause() == null ? "" : f.cause(),
        Long.toString(f.providerTokens()),
        Long.toString(f.ledgerTokens()),
        Money.format(f.providerUsd()),
        Money.format(f.ledgerUsd()),
        Money.format(f.driftUsd()),
        pct == null ? "" : pct.toPlainString());
  }

  public static String table(List<Finding> findings) {
    boolean byTeam = byTeam(findings);
    List<List<String>> lines = new ArrayList<>();
    lines.add(columns(findings));
    findings.forEach(f -> lines.add(cells(f, byTeam)));
    // Day, model, (team,) finding and cause are text; the rest numbers.
    StringBuilder out = new StringBuilder(ReportRenderer.aligned(lines, byTeam ? 5 : 4));
    long off = findings.stream().filter(f -> f.kind() != Finding.Kind.MATCHED).count();
    return out.append(off == 0 ? "all matched\n" : off + " finding(s) need a look\n").toString();
  }

  public static String json(List<Finding> findings) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode rows = root.putArray("findings");
    boolean byTeam = byTeam(findings);
    List<String> columns = columns(findings);
    for (Finding f : findings) {
      ObjectNode row = rows.addObject();
      List<String> c = cells(f, byTeam);
      for (int i = 0; i < columns.size(); i++) {
        row.put(columns.get(i), c.get(i));
      }
    }
    root.put(
        "drift_count", findings.stream().filter(f -> f.kind() != Finding.Kind.MATCHED).count());
    return root.toString();
  }

  public static String csv(List<Finding> findings) {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns(findings).forEach(schema::addColumn);
    boolean byTeam = byTeam(findings);
    List<List<String>> lines = new ArrayList<>();
    findings.forEach(f -> lines.add(cells(f, byTeam)));
    try {
      return new CsvMapper().writer(schema.build()).writeValueAsString(lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
