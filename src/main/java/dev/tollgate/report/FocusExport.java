package dev.tollgate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.PricePoint;
import dev.tollgate.call.Tally;
import dev.tollgate.call.TokenKind;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * The ledger as a FOCUS 1.2 cost and usage file: one row per charge period (a UTC day) ×
 * sub-account (team; project and key in Tags and ResourceId) × provider × model × meter (input,
 * cached input, cache write, output, reasoning, tool calls, minutes) × served tier × price version.
 * Written as it is read, a day at a time: memory holds one day's rows, never the file. Read from
 * {@code rollup_detail}, whose rows are those groups already summed (V15 on), or from the raw calls
 * for days before it. Costs are the ledger's exact decimals, so the BilledCost column sums to what
 * {@code /admin/spend} reports for the same days.
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
   * Writes the days {@code [from, to)}, only {@code team}'s when it is not null: from {@code
   * rollup_detail} for the days it holds exactly (its price points, {@link PricePoint}s), from the
   * raw calls, summed into the same points, for days before them. Either way a day's points are
   * written in key order, so the two give the same bytes.
   *
   * @param out closed by the caller; a gzip stream over it is finished here
   */
  public void write(LocalDate from, LocalDate to, String team, String format, OutputStream out)
      throws IOException, SQLException {
    OutputStream target = format.equals("csv.gz") ? new GZIPOutputStream(out, 64 * 1024) : out;
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    FocusColumns.NAMES.forEach(schema::addColumn);
    LocalDate exactFrom = ledger.pricePointsFrom();
    try (SequenceWriter rows = CSV.writer(schema.build()).writeValues(nonClosing(target))) {
      for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
        List<PricePoint> dayPoints = new ArrayList<>();
        if (exactFrom != null && !day.isBefore(exactFrom)) {
          ledger.pricePoints(day, team, dayPoints::add);
        } else {
          fromCalls(day, team, dayPoints);
        }
        dayPoints.sort(ORDER);
        FocusColumns.Day cells = FocusColumns.Day.of(day);
        for (PricePoint point : dayPoints) {
          // Every cost component is a meter (they partition the cost: BilledCost sums to the
          // spend); a meter the point did not use is no row.
          for (CostComponent meter : CostComponent.values()) {
            Line line = new Line(point, meter);
            if (line.units() != 0 || line.cost().signum() != 0) {
              rows.write(FocusColumns.row(cells, line));
            }
          }
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

  /** A day's calls summed per price point, as the writer sums them into {@code rollup_detail}. */
  private void fromCalls(LocalDate day, String team, List<PricePoint> out) throws SQLException {
    Map<List<String>, PricePoint> byKey = new HashMap<>();
    ledger.calls(
        day,
        day.plusDays(1),
        c -> {
          if (team == null || team.equals(c.attribution().team())) {
            PricePoint row = PricePoint.of(c);
            byKey.computeIfAbsent(key(row), k -> row).tally().add(c);
          }
        });
    out.addAll(byKey.values());
  }

  /**
   * A point's fields in the order rows are written: team, project, key, model, tier, provider,
   * status, price version. They are also its key when a day's calls are summed ({@link #key}).
   */
  private static final List<Function<PricePoint, String>> FIELDS =
      List.of(
          PricePoint::team,
          PricePoint::project,
          PricePoint::key,
          PricePoint::model,
          PricePoint::tier,
          PricePoint::provider,
          PricePoint::status,
          PricePoint::priceVersion);

  /**
   * {@link #FIELDS} in turn, "" for none; a comparison builds nothing (a month's sort compares
   * millions of times).
   */
  private static final Comparator<PricePoint> ORDER =
      FIELDS.stream()
          .map(f -> Comparator.comparing((PricePoint p) -> text(f.apply(p))))
          .reduce(Comparator::thenComparing)
          .orElseThrow();

  /** A point's key in {@link #fromCalls}: its {@link #FIELDS}, "" for none. */
  private static List<String> key(PricePoint p) {
    List<String> key = new ArrayList<>(FIELDS.size());
    for (Function<PricePoint, String> f : FIELDS) {
      key.add(text(f.apply(p)));
    }
    return key;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  /** One row of the file: a price point's use of one meter. */
  record Line(PricePoint point, CostComponent meter) {
    private static final BigDecimal MINUTE = BigDecimal.valueOf(60_000);

    /** Tokens of the meter's kind, tool calls, or milliseconds of audio. */
    long units() {
      Tally t = point.tally();
      return switch (meter) {
        case TOOLS -> t.toolCalls();
        case DURATION -> t.durationMillis();
        default -> t.tokens(TokenKind.valueOf(meter.name())); // the two enums share token names
      };
    }

    /** The meter's consumed quantity: tokens, tool calls, or minutes of audio. */
    BigDecimal quantity() {
      return meter == CostComponent.DURATION
          ? BigDecimal.valueOf(units()).divide(MINUTE, 6, RoundingMode.HALF_EVEN)
          : BigDecimal.valueOf(units());
    }

    BigDecimal cost() {
      return point.tally().cost(meter);
    }

    /** The calls of the price point (each used some meter of it). */
    long calls() {
      return point.tally().requests();
    }
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
