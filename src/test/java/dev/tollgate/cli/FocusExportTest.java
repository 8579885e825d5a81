package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.testing.TestTollgate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: the FOCUS export checked against the specification's own column list (kept as data in
 * {@code focus/focus-1.2-columns.tsv}, with its source), on a ledger holding every meter and every
 * served tier: every column present and in order, no null where the spec forbids one, every value
 * of its type and format, the enumerated columns within their allowed values, the cross-column
 * rules; BilledCost summing to {@code /admin/spend} to the decimal; the API and the CLI giving the
 * same bytes; a viewer's export holding its own team only.
 */
class FocusExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] TIERS = {
    null, "flex", "priority", "fast", "ultrafast", "batch", "scale"
  };
  // Allowed values, FOCUS 1.2 (specification/columns/*.md at tag v1.2).
  private static final Set<String> CHARGE_CATEGORY =
      Set.of("Usage", "Purchase", "Tax", "Credit", "Adjustment");
  private static final Set<String> CHARGE_FREQUENCY =
      Set.of("One-Time", "Recurring", "Usage-Based");
  private static final Set<String> PRICING_CATEGORY =
      Set.of("Standard", "Dynamic", "Committed", "Other");
  private static final Set<String> SERVICE_CATEGORY =
      Set.of(
          "AI and Machine Learning",
          "Analytics",
          "Business Applications",
          "Compute",
          "Databases",
          "Developer Tools",
          "Multicloud",
          "Identity",
          "Integration",
          "Internet of Things",
          "Management and Governance",
          "Media",
          "Migration",
          "Mobile",
          "Networking",
          "Security",
          "Storage",
          "Web",
          "Other");
  private static final Set<String> AI_SUBCATEGORIES =
      Set.of(
          "AI Platforms",
          "Bots",
          "Generative AI",
          "Machine Learning",
          "Natural Language Processing",
          "Other (AI and Machine Learning)");
  private static final String DECIMAL = "-?\\d+(\\.\\d+)?";
  private static final String DATETIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  record Column(String id, String level, boolean nullable, String type) {}

  private static List<Column> spec() throws IOException {
    List<Column> out = new ArrayList<>();
    try (InputStream in =
        FocusExportTest.class.getResourceAsStream("/focus/focus-1.2-columns.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        out.add(new Column(f[0], f[1], Boolean.parseBoolean(f[2]), f[3].trim()));
      }
    }
    return out;
  }

  /** A call with every token meter; costs at fixed per-token rates, so each row has one rate. */
  private static Call call(
      int i, LocalDate day, String team, String key, String tier, String version, Usage usage) {
    Map<String, Long> tools = i % 4 == 0 ? Map.of("web_search", 2L) : Map.of();
    Map<CostComponent, BigDecimal> cost = new EnumMap<>(CostComponent.class);
    boolean priced = version != null;
    if (priced) {
      cost.put(CostComponent.INPUT, rate("0.00000125", usage.uncachedInput()));
      cost.put(CostComponent.CACHED_INPUT, rate("0.000000125", usage.cachedInput()));
      cost.put(CostComponent.CACHE_WRITE, rate("0.0000015625", usage.cacheWrite()));
      cost.put(CostComponent.OUTPUT, rate("0.00001", usage.visibleOutput()));
      cost.put(CostComponent.REASONING, rate("0.00001", usage.reasoning()));
      cost.put(CostComponent.TOOLS, rate("0.01", tools.values().stream().mapToLong(x -> x).sum()));
      cost.put(
          CostComponent.DURATION,
          new BigDecimal("0.006")
              .multiply(BigDecimal.valueOf(usage.durationMillis()))
              .divide(BigDecimal.valueOf(60_000), 12, RoundingMode.UNNECESSARY));
    }
    Attribution who =
        new Attribution(team, key == null ? null : "proj-" + team, "u" + i, key, Map.of(), false);
    String model = version == null ? "mystery-model" : version.substring(0, version.indexOf('@'));
    Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(60L * i);
    PricingStatus status =
        !priced
            ? PricingStatus.UNPRICED
            : i % 5 == 0 ? PricingStatus.ESTIMATED : PricingStatus.PRICED;
    return new Call(
        new Call.Request(
            "f" + i, at, Api.CHAT, "POST", "/v1/chat/completions", model, tier, false, who),
        new Call.Relay(200, Outcome.OK, Timings.ofMillis(40, 8)),
        new Call.Served("api.openai.com", model, tier, usage, tools, null, "openai"),
        new Call.Charge(
            status,
            version,
            Cost.of(cost),
            !priced
                ? List.of(Reason.of(Reason.Kind.NO_PRICE, model))
                : status == PricingStatus.ESTIMATED
                    ? List.of(Reason.of(Reason.Kind.USAGE_MISSING))
                    : List.of(),
            Map.of()));
  }

  private static BigDecimal rate(String perUnit, long units) {
    return new BigDecimal(perUnit).multiply(BigDecimal.valueOf(units));
  }

  private static List<Call> ledger(LocalDate first) {
    List<Call> calls = new ArrayList<>();
    int i = 0;
    for (int d = 0; d < 2; d++) {
      for (String tier : TIERS) {
        for (String team : List.of("search", "ads")) {
          String key = team.equals("search") ? "search-prod" : null;
          String version = "gpt-5.4@2026-03-05" + (tier == null ? "" : "/" + tier);
          Usage tokens = new Usage(1000 + i, 200, 100, 300 + i, 100, 0, 0);
          calls.add(call(i++, first.plusDays(d), team, key, tier, version, tokens));
        }
      }
      // The long-context (272K) tier, a transcription by the minute, an unpriced model.
      calls.add(
          call(
              i++,
              first.plusDays(d),
              "search",
              "search-prod",
              null,
              "gpt-5.4@2026-03-05/long",
              new Usage(300_000, 0, 0, 1000, 0, 0, 0)));
      calls.add(
          call(
              i++,
              first.plusDays(d),
              "ads",
              null,
              null,
              "gpt-4o-transcribe@2025-03-20",
              Usage.duration(90_000)));
      calls.add(call(i++, first.plusDays(d), "ads", null, null, null, Usage.of(50, 5)));
    }
    return calls;
  }

  private static List<Map<String, String>> rows(byte[] csv) throws IOException {
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    List<Map<String, String>> out = new ArrayList<>();
    try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class).readValues(csv)) {
      List<String> header = it.next();
      while (it.hasNext()) {
        List<String> cells = it.next();
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
          row.put(header.get(c), cells.get(c).isEmpty() ? null : cells.get(c));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static List<String> header(byte[] csv) throws IOException {
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class).readValues(csv)) {
      return it.next();
    }
  }

  @Test
  void everyColumnRuleHoldsAndBilledCostIsTheSpend() throws Exception {
    LocalDate first = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusDays(1);
    String yaml = "data_dir: '" + dir + "'\n";
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, yaml);
    TollgateConfig c = new ConfigLoader(Map.of()).load(config);
    List<Call> calls = ledger(first);
    try (Database db = Database.open(c.ledger(), c.dataDir());
        LedgerWriter writer = new LedgerWriter(db, c.ledger())) {
      calls.forEach(writer::offer);
      Awaitility.await().until(() -> writer.written() == calls.size());
    }
    String range = "from=" + first + "&to=" + first.plusDays(2);
    try (TestTollgate t = TestTollgate.start("http://127.0.0.1:9", yaml)) {
      var api =
          http.send(
              HttpRequest.newBuilder(t.adminUri("/admin/export/focus?" + range)).build(),
              BodyHandlers.ofByteArray());
      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(api.headers().firstValue("transfer-encoding")).hasValue("chunked");
      assertThat(api.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
      byte[] csv = api.body();

      // Columns: the spec's, in its order, then only x_ extensions.
      List<Column> spec = spec();
      assertThat(spec).hasSize(57);
      List<String> header = header(csv);
      assertThat(header.subList(0, spec.size()))
          .containsExactlyElementsOf(spec.stream().map(Column::id).toList());
      assertThat(header.subList(spec.size(), header.size())).allMatch(h -> h.startsWith("x_"));

      List<Map<String, String>> rows = rows(csv);
      assertThat(rows).isNotEmpty();
      for (Map<String, String> r : rows) {
        for (Column col : spec) {
          String v = r.get(col.id());
          if (!col.nullable()) {
            assertThat(v).as(col.id() + " must not be null: " + r).isNotNull();
          }
          if (v == null) {
            continue;
          }
          switch (col.type()) {
            case "Decimal" -> assertThat(v).as(col.id()).matches(DECIMAL);
            case "Date/Time" -> assertThat(v).as(col.id()).matches(DATETIME);
            case "JSON" -> assertThat(JSON.readTree(v).isObject()).as(col.id()).isTrue();
            default -> assertThat(v).as(col.id()).isEqualTo(v.strip()).isNotEmpty();
          }
        }
        assertThat(r.get("ChargeCategory")).isIn(CHARGE_CATEGORY);
        assertThat(r.get("ChargeClass")).isNull(); // no corrections: repricing rewrites rows
        assertThat(r.get("ChargeFrequency")).isIn(CHARGE_FREQUENCY);
        assertThat(r.get("PricingCategory")).isIn(PRICING_CATEGORY);
        assertThat(r.get("ServiceCategory")).isIn(SERVICE_CATEGORY);
        assertThat(r.get("ServiceSubcategory")).isIn(AI_SUBCATEGORIES);
        assertThat(r.get("BillingCurrency")).isEqualTo("USD").isEqualTo(r.get("PricingCurrency"));
        // Usage rows (not corrections): quantities, units, SKU and unit prices present.
        for (String must :
            List.of(
                "ConsumedQuantity",
                "ConsumedUnit",
                "PricingQuantity",
                "PricingUnit",
                "SkuId",
                "SkuPriceId",
                "ListUnitPrice",
                "ContractedUnitPrice")) {
          assertThat(r.get(must)).as(must + " in a usage row " + r).isNotNull();
        }
        // Unit price × quantity = cost; the three costs agree (no discounts, no commitments).
        BigDecimal cost = new BigDecimal(r.get("BilledCost"));
        assertThat(
                new BigDecimal(r.get("ListUnitPrice"))
                    .multiply(new BigDecimal(r.get("PricingQuantity"))))
            .as(r.toString())
            .isEqualByComparingTo(cost);
        for (String same : List.of("EffectiveCost", "ListCost", "ContractedCost")) {
          assertThat(new BigDecimal(r.get(same))).isEqualByComparingTo(cost);
        }
        assertThat(cost.signum()).isNotNegative();
        // Periods: a charge period is one UTC day inside its billing month.
        Instant start = Instant.parse(r.get("ChargePeriodStart"));
        Instant end = Instant.parse(r.get("ChargePeriodEnd"));
        assertThat(end).isEqualTo(start.plusSeconds(86_400));
        assertThat(Instant.parse(r.get("BillingPeriodStart"))).isBeforeOrEqualTo(start);
        assertThat(Instant.parse(r.get("BillingPeriodEnd"))).isAfterOrEqualTo(end);
        // Pairs the spec ties together.
        assertThat(r.get("ResourceType") == null).isEqualTo(r.get("ResourceId") == null);
        assertThat(r.get("SubAccountName") == null).isEqualTo(r.get("SubAccountId") == null);
        assertThat(r.get("SkuMeter") == null).isEqualTo(r.get("SkuId") == null);
        assertThat(r.get("SkuPriceId"))
            .startsWith(
                r.get("SkuId").equals("mystery-model")
                    ? "mystery-model@unpriced"
                    : r.get("SkuId") + "@");
      }

      // Every meter and every served tier is in the file.
      assertThat(rows.stream().map(r -> r.get("x_Meter")).distinct())
          .containsExactlyInAnyOrder(
              "input", "cached_input", "cache_write", "output", "reasoning", "tools", "duration");
      Set<String> tiers = new HashSet<>();
      rows.forEach(r -> tiers.add(r.get("x_ServiceTier")));
      assertThat(tiers)
          .contains("default", "flex", "priority", "fast", "ultrafast", "batch", "scale");
      assertThat(rows).anyMatch(r -> r.get("x_LongContext").equals("true"));
      assertThat(rows).anyMatch(r -> r.get("x_PricingStatus").equals("unpriced"));
      assertThat(rows).anyMatch(r -> r.get("x_PricingStatus").equals("estimated"));

      // BilledCost sums to /admin/spend for the same window, to the decimal; calls likewise.
      JsonNode spend =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(t.adminUri("/admin/spend?" + range)).build(),
                      BodyHandlers.ofString())
                  .body());
      BigDecimal billed =
          rows.stream()
              .map(r -> new BigDecimal(r.get("BilledCost")))
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(billed)
          .isEqualByComparingTo(new BigDecimal(spend.path("total_cost_usd").asText()));

      // Tool calls are counted (the rollup keeps them since V15), and the file read from the
      // rollup is the one the raw calls give, byte for byte.
      assertThat(
              rows.stream()
                  .filter(r -> r.get("x_Meter").equals("tools"))
                  .map(r -> new BigDecimal(r.get("ConsumedQuantity")))
                  .reduce(BigDecimal.ZERO, BigDecimal::add))
          .isEqualByComparingTo(
              BigDecimal.valueOf(
                  calls.stream()
                      .filter(call -> call.day().compareTo(first.plusDays(2).toString()) < 0)
                      .flatMap(call -> call.served().toolCalls().values().stream())
                      .mapToLong(Long::longValue)
                      .sum()));
      try (Database db = Database.open(c.ledger(), c.dataDir());
          var conn = db.dataSource().getConnection();
          var st = conn.createStatement()) {
        st.executeUpdate("UPDATE rollup_coverage SET detail_from = '9999-12-31'");
        var raw =
            http.send(
                HttpRequest.newBuilder(t.adminUri("/admin/export/focus?" + range)).build(),
                BodyHandlers.ofByteArray());
        st.executeUpdate("UPDATE rollup_coverage SET detail_from = '0000-01-01'");
        assertThat(new String(raw.body(), StandardCharsets.UTF_8))
            .isEqualTo(new String(csv, StandardCharsets.UTF_8));
      }

      // The CLI writes the same bytes; csv.gz is the same file compressed.
      Cli cli = new Cli();
      Path out = dir.resolve("focus.csv");
      String[] args = {
        "export",
        "focus",
        "--config",
        config.toString(),
        "--from",
        first.toString(),
        "--to",
        first.plusDays(2).toString(),
        "--out",
        out.toString()
      };
      assertThat(cli.run(args)).as(cli.err.toString()).isZero();
      assertThat(Files.readAllBytes(out)).isEqualTo(csv);
      var gz =
          http.send(
              HttpRequest.newBuilder(t.adminUri("/admin/export/focus?" + range + "&format=csv.gz"))
                  .build(),
              BodyHandlers.ofByteArray());
      assertThat(gz.headers().firstValue("content-type")).hasValue("application/gzip");
      assertThat(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes())
          .isEqualTo(csv);

      // Versions and formats not written are refused, naming the option.
      var v14 =
          http.send(
              HttpRequest.newBuilder(
                      t.adminUri("/admin/export/focus?" + range + "&focus_version=1.4"))
                  .build(),
              BodyHandlers.ofString());
      assertThat(v14.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(v14.body()).path("error").path("param").asText())
          .isEqualTo("focus_version");
      assertThat(cli.run("export", "focus", "--config", config.toString(), "--format", "parquet"))
          .isEqualTo(2);
      assertThat(cli.err.toString()).contains("format must be csv or csv.gz");

      // A viewer of one team exports that team only, and is refused another's.
      assertThat(
              cli.run("viewers", "new", "lead", "--team", "search", "--config", config.toString()))
          .as(cli.err.toString())
          .isZero();
      String token = cli.out.toString().lines().reduce((a, b) -> b).orElseThrow().trim();
      var mine =
          http.send(
              HttpRequest.newBuilder(t.adminUri("/admin/export/focus?" + range))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              BodyHandlers.ofByteArray());
      assertThat(mine.statusCode()).isEqualTo(200);
      List<Map<String, String>> own = rows(mine.body());
      assertThat(own).isNotEmpty().allMatch(r -> r.get("SubAccountId").equals("search"));
      var theirs =
          http.send(
              HttpRequest.newBuilder(t.adminUri("/admin/export/focus?" + range + "&team=ads"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              BodyHandlers.ofString());
      assertThat(theirs.statusCode()).isEqualTo(403);
    }
  }
}
