package dev.tollgate.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Money;
import dev.tollgate.call.TokenKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Renders a spend report as JSON (the admin API), CSV (spreadsheets) or a table (the terminal). */
public final class ReportRenderer {
  private static final JsonFactory JSON = new JsonFactory();
  private static final CsvMapper CSV = new CsvMapper();

  private ReportRenderer() {}

  public static String json(SpendReport report) {
    SpendQuery q = report.query();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("from", q.from().toString());
      g.writeStringField("to", q.to().toString());
      g.writeArrayFieldStart("group_by");
      for (String k : q.groupBy()) {
        g.writeString(k);
      }
      g.writeEndArray();
      if (q.whatIf()) {
        g.writeObjectFieldStart("what_if");
        g.writeStringField(
            q.whatIfModel() != null ? "model" : "tier",
            q.whatIfModel() != null ? q.whatIfModel() : q.whatIfTier());
        g.writeEndObject();
      }
      g.writeArrayFieldStart("rows");
      for (SpendRow r : report.rows()) {
        g.writeStartObject();
        for (int i = 0; i < q.groupBy().size(); i++) {
          g.writeStringField(q.groupBy().get(i), r.group().get(i));
        }
        g.writeNumberField("requests", r.requests());
        g.writeObjectFieldStart("tokens");
        for (TokenKind k : TokenKind.values()) {
          g.writeNumberField(k.label(), r.tally().tokens(k));
        }
        g.writeEndObject();
        g.writeNumberField("audio_seconds", r.tally().durationSeconds());
        g.writeStringField("cost_usd", usd(r.costTotal()));
        g.writeObjectFieldStart("cost_components");
        for (CostComponent c : CostComponent.values()) {
          g.writeStringField(c.label(), usd(r.tally().cost(c)));
        }
        g.writeEndObject();
        g.writeNumberField("unpriced_requests", r.tally().unpricedRequests());
        g.writeNumberField("estimated_requests", r.tally().estimatedRequests());
        g.writeNumberField("repriced_requests", r.tally().repricedRequests());
        if (r.whatIfCost() != null) {
          g.writeStringField("what_if_cost_usd", usd(r.whatIfCost()));
          g.writeNumberField("what_if_unpriced_requests", r.whatIfUnpriced());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("total_cost_usd", usd(report.total()));
      if (!report.budgets().isEmpty()) {
        g.writeArrayFieldStart("budgets");
        for (TeamBudget b : report.budgets()) {
          g.writeStartObject();
          g.writeStringField("team", b.team());
          g.writeStringField("budget", b.budget());
          g.writeStringField("period", b.period());
          g.writeStringField("limit_usd", usd(b.limit()));
          g.writeStringField("spent_usd", usd(b.spent()));
          g.writeStringField("resets", b.resets().toString());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      if (q.whatIf()) {
        g.writeStringField("total_what_if_cost_usd", usd(report.whatIfTotal()));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  public static String csv(SpendReport report) {
    List<String> header = header(report.query(), true);
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    header.forEach(schema::addColumn);
    List<List<String>> lines = new ArrayList<>();
    for (SpendRow r : report.rows()) {
      lines.add(cells(report.query(), r, true));
    }
    try {
      return CSV.writer(schema.build()).writeValueAsString(lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String table(SpendReport report) {
    List<String> header = header(report.query(), false);
    List<List<String>> lines = new ArrayList<>();
    lines.add(header);
    for (SpendRow r : report.rows()) {
      lines.add(cells(report.query(), r, false));
    }
    StringBuilder out = new StringBuilder(aligned(lines, report.query().groupBy().size()));
    out.append("total: $").append(usd(report.total()));
    if (report.query().whatIf()) {
      out.append("   what-if: $").append(usd(report.whatIfTotal()));
    }
    return out.append(" (")
        .append(report.query().from())
        .append(" to ")
        .append(report.query().to())
        .append(", UTC, to exclusive)\n")
        .append(budgetLines(report))
        .toString();
  }

  /**
   * {@code lines} (a header first) as aligned columns two spaces apart: text left-aligned, the
   * columns from {@code firstNumber} on right-aligned.
   */
  public static String aligned(List<List<String>> lines, int firstNumber) {
    int[] widths = new int[lines.get(0).size()];
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        String cell = line.get(i);
        String pad = " ".repeat(widths[i] - cell.length());
        out.append(i >= firstNumber ? pad + cell : cell + pad);
        out.append(i + 1 < line.size() ? "  " : "\n");
      }
    }
    return out.toString();
  }

  /** Each team budget in its own period, which need not be the report's range. */
  private static String budgetLines(SpendReport report) {
    StringBuilder out = new StringBuilder();
    for (TeamBudget b : report.budgets()) {
      out.append(
          String.format(
              java.util.Locale.ROOT,
              "budget %s: team %s, %s: $%s of $%s spent (%s%%), resets %s%n",
              b.budget(),
              b.team(),
              b.period(),
              usd(b.spent()),
              usd(b.limit()),
              b.limit().signum() == 0
                  ? "-"
                  : b.spent()
                      .multiply(java.math.BigDecimal.valueOf(100))
                      .divide(b.limit(), 1, java.math.RoundingMode.HALF_UP)
                      .toPlainString(),
              b.resets()));
    }
    return out.toString();
  }

  /**
   * @param components add a column per cost component (CSV: spreadsheets want them all)
   */
  private static List<String> header(SpendQuery q, boolean components) {
    List<String> h = new ArrayList<>(q.groupBy());
    h.addAll(List.of("requests", "unpriced_requests", "estimated_requests", "repriced_requests"));
    for (TokenKind k : TokenKind.values()) {
      h.add(k.label() + "_tokens");
    }
    if (components) {
      h.add("audio_seconds"); // minute-metered transcription
    }
    h.add("cost_usd");
    if (components) {
      for (CostComponent c : CostComponent.values()) {
        h.add("cost_" + c.label() + "_usd");
      }
    }
    if (q.whatIf()) {
      h.add("what_if_cost_usd");
    }
    return h;
  }

  private static List<String> cells(SpendQuery q, SpendRow r, boolean components) {
    List<String> c = new ArrayList<>();
    r.group().forEach(v -> c.add(v == null ? "" : v));
    for (long n :
        new long[] {
          r.requests(),
          r.tally().unpricedRequests(),
          r.tally().estimatedRequests(),
          r.tally().repricedRequests()
        }) {
      c.add(Long.toString(n));
    }
    for (TokenKind k : TokenKind.values()) {
      c.add(Long.toString(r.tally().tokens(k)));
    }
    if (components) {
      c.add(r.tally().durationSeconds().toPlainString());
    }
    c.add(usd(r.costTotal()));
    if (components) {
      for (CostComponent component : CostComponent.values()) {
        c.add(usd(r.tally().cost(component)));
      }
    }
    if (q.whatIf()) {
      c.add(usd(r.whatIfCost()));
    }
    return c;
  }

  private static String usd(BigDecimal v) {
    return Money.format(v);
  }
}
