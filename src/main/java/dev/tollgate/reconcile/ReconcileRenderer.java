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

/**
 * A reconciliation as a table, JSON or CSV: one row per day, model and tier (then per team too when
 * projects are mapped), then the line items not read.
 */
public final class ReconcileRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> COLUMNS =
      List.of(
          "day",
          "model",
          "tier",
          "finding",
          "cause",
          "provider_tokens",
          "ledger_tokens",
          "provider_usd",
          "ledger_usd",
          "drift_usd",
          "drift_percent");

  private ReconcileRenderer() {}

  /**
   * The header, then one row per finding; a team column after the model when the comparison was per
   * team too.
   */
  static List<List<String>> rows(List<Finding> findings) {
    boolean byTeam = findings.stream().anyMatch(f -> f.team() != null);
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(COLUMNS);
    if (byTeam) {
      header.add(3, "team");
    }
    rows.add(header);
    for (Finding f : findings) {
      BigDecimal pct = f.driftPercent();
      List<String> row =
          new ArrayList<>(
              List.of(
                  f.day().toString(),
                  f.model(),
                  f.tier() == null ? "" : f.tier(),
                  f.kind().label(),
                  f.cause() == null ? "" : f.cause(),
                  Long.toString(f.providerTokens()),
                  Long.toString(f.ledgerTokens()),
                  Money.format(f.providerUsd()),
                  Money.format(f.ledgerUsd()),
                  Money.format(f.driftUsd()),
                  pct == null ? "" : pct.toPlainString()));
      if (byTeam) {
        row.add(3, f.team() == null ? "" : f.team());
      }
      rows.add(row);
    }
    return rows;
  }

  private static long drifts(List<Finding> findings) {
    return findings.stream().filter(f -> f.kind() != Finding.Kind.MATCHED).count();
  }

  public static String table(List<Finding> findings) {
    List<List<String>> lines = rows(findings);
    // Day, model, (team,) finding and cause are text; the rest numbers.
    int firstNumber = lines.get(0).indexOf("provider_tokens");
    long off = drifts(findings);
    return ReportRenderer.aligned(lines, firstNumber)
        + (off == 0 ? "all matched\n" : off + " finding(s) need a look\n");
  }

  /**
   * The findings as a JSON object: {@code findings} (one object per row) and {@code drift_count}.
   */
  public static ObjectNode tree(List<Finding> findings) {
    List<List<String>> lines = rows(findings);
    List<String> columns = lines.get(0);
    ObjectNode root = JSON.createObjectNode();
    ArrayNode rows = root.putArray("findings");
    for (List<String> line : lines.subList(1, lines.size())) {
      ObjectNode row = rows.addObject();
      for (int i = 0; i < columns.size(); i++) {
        row.put(columns.get(i), line.get(i));
      }
    }
    root.put("drift_count", drifts(findings));
    return root;
  }

  public static String json(List<Finding> findings) {
    return tree(findings).toString();
  }

  public static String csv(List<Finding> findings) {
    List<List<String>> lines = rows(findings);
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    lines.get(0).forEach(schema::addColumn);
    try {
      return new CsvMapper()
          .writer(schema.build())
          .writeValueAsString(lines.subList(1, lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
