package dev.tollgate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tollgate.call.Call;
import dev.tollgate.call.CostComponent;
import dev.tollgate.ledger.LedgerReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The ledger as a FOCUS 1.2 cost and usage file: one row per charge period (a UTC day) ×
 * sub-account (team; project and key in Tags and ResourceId) × provider × model × meter (input,
 * cached input, cache write, output, reasoning, tool calls, minutes) × served tier × price version.
 * Written as it is read, a day at a time: memory holds one day's rows, never the file. Costs are
 * the ledger's exact decimals, so the BilledCost column sums to what {@code /admin/spend} reports
 * for the same days (while the raw calls are kept: {@code ledger.retention_days}).
 */
public final class FocusExport {
  /** The FOCUS versions written; the column list of each is checked against the spec's. */
  public static final List<String> VERSIONS = List.of("1.2");

  private static final ObjectMapper JSON = new ObjectMapper();
  // Quotes only cells that need them, as FinOps tools and spreadsheets read most simply.
  private static final CsvMapper CSV =
      CsvMapper.builder()
          .enable(
              com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
          .build();

  private final LedgerReader ledger;

  public FocusExport(LedgerReader ledger) {
    this.ledger = ledger;
  }

  /** A refused export: the option that is wrong, and why. */
  public static final class Invalid extends RuntimeException {
    public Invalid(String message) {
      super(message);
    }
  }

  /** Checks the version and format; null when they are fine. */
  public static void check(String version, String format) {
    if (!VERSIONS.contains(version)) {
      throw new Invalid(
          "FOCUS version "
              + version
              + " is not written: Tollgate writes "
              + String.join(", ", VERSIONS)
              + " (1.3 and 1.4 wait for their column lists to be checked against the"
              + " specification; docs/FOCUS.md)");
    }
    if (!format.equals("csv") && !format.equals("csv.gz")) {
      throw new Invalid(
          "format must be csv or csv.gz, got '"
              + format
              + "' (Parquet: docs/FOCUS.md says why not)");
    }
  }

  /**
   * Writes the days {@code [from, to)}, only {@code team}'s when it is not null.
   *
   * @param out closed by the caller; a gzip stream over it is finished here
   */
  public void write(LocalDate from, LocalDate to, String team, String format, OutputStream out)
      throws IOException, SQLException {
    OutputStream target = format.equals("csv.gz") ? new GZIPOutputStream(out, 64 * 1024) : out;
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    FocusColumns.NAMES.forEach(schema::addColumn);
    try (SequenceWriter rows = CSV.writer(schema.build()).writeValues(nonClosing(target))) {
      for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
        Map<List<String>, Group> groups = new LinkedHashMap<>();
        ledger.calls(
            day,
            day.plusDays(1),
            c -> {
              if (team == null || team.equals(c.attribution().team())) {
                add(groups, c);
              }
            });
        for (Group g : groups.values()) {
          rows.write(FocusColumns.row(day, g));
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (target instanceof GZIPOutputStream gz) {
      gz.finish();
    }
    target.flush();
  }

  /** What one row sums: a meter's quantity and cost over the calls of its group. */
  static final class Group {
    final List<String>
        key; // provider, team, project, key, model, tier, meter, price version, status
    BigDecimal quantity = BigDecimal.ZERO;
    BigDecimal cost = BigDecimal.ZERO;
    long calls;

    Group(List<String> key) {
      this.key = key;
    }

    String part(int i) {
      return key.get(i);
    }
  }

  private static void add(Map<List<String>, Group> groups, Call c) {
    // Every cost component is a meter (they partition the cost: BilledCost sums to the spend).
    for (CostComponent component : CostComponent.values()) {
      BigDecimal quantity = quantity(component, c);
      BigDecimal cost = c.cost().get(component);
      if (quantity.signum() == 0 && cost.signum() == 0) {
        continue;
      }
      List<String> key = new ArrayList<>(9);
      key.add(c.served().provider());
      key.add(c.attribution().team());
      key.add(c.attribution().project());
      key.add(c.attribution().key());
      key.add(c.model());
      key.add(c.tier().name());
      key.add(component.label());
      key.add(c.charge().priceVersion());
      key.add(c.status().label());
      Group g = groups.computeIfAbsent(key, Group::new);
      g.quantity = g.quantity.add(quantity);
      g.cost = g.cost.add(cost);
      g.calls++;
    }
  }

  /** What a meter counts for one call: tokens of its kind, tool calls, or audio minutes. */
  private static BigDecimal quantity(CostComponent component, Call c) {
    var u = c.usage();
    return switch (component) {
      case INPUT -> BigDecimal.valueOf(u.uncachedInput());
      case CACHED_INPUT -> BigDecimal.valueOf(u.cachedInput());
      case CACHE_WRITE -> BigDecimal.valueOf(u.cacheWrite());
      case OUTPUT -> BigDecimal.valueOf(u.visibleOutput());
      case REASONING -> BigDecimal.valueOf(u.reasoning());
      case TOOLS ->
          BigDecimal.valueOf(
              c.served().toolCalls().values().stream().mapToLong(Long::longValue).sum());
      case DURATION ->
          BigDecimal.valueOf(u.durationMillis())
              .divide(BigDecimal.valueOf(60_000), 6, RoundingMode.UNNECESSARY);
    };
  }

  /** The CSV writer closes what it writes to; the caller owns the stream. */
  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  static String json(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first day of the month {@code day} falls in, as FOCUS's billing period starts. */
  static String monthStart(LocalDate day) {
    return day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
  }
}
