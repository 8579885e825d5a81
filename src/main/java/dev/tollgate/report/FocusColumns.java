package dev.tollgate.report;

import dev.tollgate.call.PricePoint;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of Tollgate's FOCUS 1.2 file, in the specification's order (alphabetical), then its
 * own {@code x_} columns, and how each is filled from a row's group. docs/FOCUS.md maps them.
 */
final class FocusColumns {
  private FocusColumns() {}

  /** Every FOCUS 1.2 column, then Tollgate's extensions. */
  static final List<String> NAMES =
      List.of(
          "AvailabilityZone",
          "BilledCost",
          "BillingAccountId",
          "BillingAccountName",
          "BillingAccountType",
          "BillingCurrency",
          "BillingPeriodEnd",
          "BillingPeriodStart",
          "CapacityReservationId",
          "CapacityReservationStatus",
          "ChargeCategory",
          "ChargeClass",
          "ChargeDescription",
          "ChargeFrequency",
          "ChargePeriodEnd",
          "ChargePeriodStart",
          "CommitmentDiscountCategory",
          "CommitmentDiscountId",
          "CommitmentDiscountName",
          "CommitmentDiscountQuantity",
          "CommitmentDiscountStatus",
          "CommitmentDiscountType",
          "CommitmentDiscountUnit",
          "ConsumedQuantity",
          "ConsumedUnit",
          "ContractedCost",
          "ContractedUnitPrice",
          "EffectiveCost",
          "InvoiceId",
          "InvoiceIssuerName",
          "ListCost",
          "ListUnitPrice",
          "PricingCategory",
          "PricingCurrency",
          "PricingCurrencyContractedUnitPrice",
          "PricingCurrencyEffectiveCost",
          "PricingCurrencyListUnitPrice",
          "PricingQuantity",
          "PricingUnit",
          "ProviderName",
          "PublisherName",
          "RegionId",
          "RegionName",
          "ResourceId",
          "ResourceName",
          "ResourceType",
          "ServiceCategory",
          "ServiceName",
          "ServiceSubcategory",
          "SkuId",
          "SkuMeter",
          "SkuPriceDetails",
          "SkuPriceId",
          "SubAccountId",
          "SubAccountName",
          "SubAccountType",
          "Tags",
          "x_Calls",
          "x_LongContext",
          "x_Meter",
          "x_PriceVersion",
          "x_PricingStatus",
          "x_ServiceTier",
          "x_Tokens");

  /**
   * Each column's place in a row: a row sets some 50 cells by name, over a million rows a month.
   */
  private static final Map<String, Integer> INDEX = index();

  private static Map<String, Integer> index() {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      index.put(NAMES.get(i), i);
    }
    return Map.copyOf(index);
  }

  /** The cells that depend on the day alone, made once per day rather than once per row. */
  record Day(String periodStart, String periodEnd, String start, String end) {
    static Day of(LocalDate day) {
      return new Day(
          FocusExport.monthStart(day),
          FocusExport.monthStart(day.withDayOfMonth(1).plusMonths(1)),
          day.atStartOfDay(ZoneOffset.UTC).toInstant().toString(),
          day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    }
  }

  private static final Map<String, String> PROVIDERS =
      Map.of(
          "openai", "OpenAI",
          "anthropic", "Anthropic",
          "gemini", "Google",
          "azure", "Microsoft",
          "deepseek", "DeepSeek",
          "xai", "xAI",
          "mistral", "Mistral AI");

  private static final Map<String, String> METERS =
      Map.of(
          "input", "Input Tokens",
          "cached_input", "Cached Input Tokens",
          "cache_write", "Cache Write Tokens",
          "output", "Output Tokens",
          "reasoning", "Reasoning Tokens",
          "tools", "Tool Calls",
          "duration", "Audio Minutes");

  /** One row's cells, in {@link #NAMES} order; an empty string is a null cell. */
  static List<String> row(Day day, FocusExport.Line line) {
    PricePoint p = line.point();
    String provider = provider(p.provider());
    String team = p.team();
    String project = p.project();
    String key = p.key();
    String model = p.model() == null ? "(none)" : p.model();
    String tier = p.tier();
    String meter = line.meter().label();
    String priceVersion = p.priceVersion();
    String unit =
        meter.equals("tools") ? "Requests" : meter.equals("duration") ? "Minutes" : "Tokens";
    String cost = decimal(line.cost());
    String quantity = decimal(line.quantity());
    Map<String, String> tags = new LinkedHashMap<>();
    if (project != null) {
      tags.put("project", project);
    }
    if (key != null) {
      tags.put("key", key);
    }
    String[] v = new String[NAMES.size()];
    Arrays.fill(v, null);
    set(v, "BilledCost", cost);
    set(v, "BillingAccountId", "tollgate");
    set(v, "BillingAccountName", "Tollgate");
    set(v, "BillingAccountType", "Gateway");
    set(v, "BillingCurrency", "USD");
    set(v, "BillingPeriodStart", day.periodStart());
    set(v, "BillingPeriodEnd", day.periodEnd());
    set(v, "ChargeCategory", "Usage");
    set(v, "ChargeDescription", model + " " + METERS.get(meter) + " (" + tier + " tier)");
    set(v, "ChargeFrequency", "Usage-Based");
    set(v, "ChargePeriodStart", day.start());
    set(v, "ChargePeriodEnd", day.end());
    set(v, "ConsumedQuantity", quantity);
    set(v, "ConsumedUnit", unit);
    set(v, "ContractedCost", cost);
    // One row is one price point (a version's rate for one meter and tier), so cost / quantity is
    // that rate: exact for token rates, and null only for a quantity of zero.
    String unitPrice = unitPrice(line);
    set(v, "ContractedUnitPrice", unitPrice);
    set(v, "ListUnitPrice", unitPrice);
    set(v, "PricingCurrency", "USD");
    set(v, "PricingCurrencyContractedUnitPrice", unitPrice);
    set(v, "PricingCurrencyEffectiveCost", cost);
    set(v, "PricingCurrencyListUnitPrice", unitPrice);
    set(v, "EffectiveCost", cost);
    set(v, "InvoiceIssuerName", provider);
    set(v, "ListCost", cost);
    set(v, "PricingCategory", "Standard");
    set(v, "PricingQuantity", quantity);
    set(v, "PricingUnit", unit);
    set(v, "ProviderName", provider);
    set(v, "PublisherName", provider);
    set(v, "ResourceId", key);
    set(v, "ResourceName", key);
    set(v, "ResourceType", key == null ? null : "API Key");
    set(v, "ServiceCategory", "AI and Machine Learning");
    set(v, "ServiceName", provider + " API");
    set(v, "ServiceSubcategory", "Generative AI");
    set(v, "SkuId", model);
    set(v, "SkuMeter", METERS.get(meter));
    set(
        v,
        "SkuPriceId",
        (priceVersion != null ? priceVersion : model + "@unpriced") + "#" + tier + "/" + meter);
    set(v, "SubAccountId", team);
    set(v, "SubAccountName", team);
    set(v, "SubAccountType", "Team");
    set(v, "Tags", FocusExport.json(tags));
    set(v, "x_Calls", Long.toString(line.calls()));
    set(
        v,
        "x_LongContext",
        Boolean.toString(priceVersion != null && priceVersion.contains("/long")));
    set(v, "x_Meter", meter);
    set(v, "x_PriceVersion", priceVersion);
    set(v, "x_PricingStatus", p.status());
    set(v, "x_ServiceTier", tier);
    set(v, "x_Tokens", unit.equals("Tokens") ? quantity : null);
    // An empty cell is FOCUS's null in CSV (Jackson would drop a null array element, shifting
    // every later column).
    List<String> cells = new ArrayList<>(v.length);
    for (String cell : v) {
      cells.add(cell == null ? "" : cell);
    }
    return cells;
  }

  private static void set(String[] row, String column, String value) {
    row[INDEX.get(column)] = value;
  }

  private static String provider(String label) {
    if (label == null || label.isBlank()) {
      return "Unknown";
    }
    return PROVIDERS.getOrDefault(label.toLowerCase(Locale.ROOT), label);
  }

  private static String unitPrice(FocusExport.Line line) {
    BigDecimal quantity = line.quantity();
    if (quantity.signum() == 0) {
      return null;
    }
    return decimal(line.cost().divide(quantity, 24, java.math.RoundingMode.HALF_EVEN));
  }

  /** A plain decimal, never in exponent form (FOCUS's NumericFormat). */
  static String decimal(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
  }
}
