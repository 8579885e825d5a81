package dev.tollgate.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What the provider says a day cost, as read from its APIs' pages: token usage per model (and
 * whether it was batch), and dollars per line item.
 */
public record ProviderBill(List<Usage> usage, List<Cost> costs) {
  /**
   * One usage result: a day's tokens for a model at a tier (batch or not).
   *
   * @param serviceTier the tier as the API named it, or null
   */
  public record Usage(
      LocalDate day,
      String model,
      String projectId,
      boolean batch,
      long inputTokens,
      long cachedTokens,
      long outputTokens,
      long requests,
      String serviceTier) {
    /** The tier as reconciliation compares it: batch jobs are their own, fast is priority. */
    public String tier() {
      return batch ? "batch" : LineItem.tier(serviceTier);
    }
  }

  /** One cost result: a day's dollars for a line item such as {@code gpt-4o-2024-08-06, input}. */
  public record Cost(LocalDate day, String lineItem, String projectId, BigDecimal usd) {
    /** The line item read: tier, model and meter, or not understood. */
    public LineItem item() {
      return LineItem.parse(lineItem);
    }
  }

  public ProviderBill {
    usage = List.copyOf(usage);
    costs = List.copyOf(costs);
  }

  /** The results of one page of {@code /organization/usage/completions}. */
  static List<Usage> usagePage(JsonNode page) {
    List<Usage> out = new ArrayList<>();
    for (JsonNode bucket : page.path("data")) {
      LocalDate day = day(bucket);
      for (JsonNode r : bucket.path("results")) {
        out.add(
            new Usage(
                day,
                r.path("model").asText(""),
                r.path("project_id").asText(null),
                r.path("batch").asBoolean(false),
                r.path("input_tokens").asLong(),
                r.path("input_cached_tokens").asLong(),
                r.path("output_tokens").asLong(),
                r.path("num_model_requests").asLong(),
                r.path("service_tier").asText(null)));
      }
    }
    return out;
  }

  /** The results of one page of {@code /organization/costs}. */
  static List<Cost> costsPage(JsonNode page) {
    List<Cost> out = new ArrayList<>();
    for (JsonNode bucket : page.path("data")) {
      LocalDate day = day(bucket);
      for (JsonNode r : bucket.path("results")) {
        JsonNode value = r.path("amount").path("value");
        out.add(
            new Cost(
                day,
                r.path("line_item").asText(""),
                r.path("project_id").asText(null),
                value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText("0"))));
      }
    }
    return out;
  }

  private static LocalDate day(JsonNode bucket) {
    return Instant.ofEpochSecond(bucket.path("start_time").asLong())
        .atZone(ZoneOffset.UTC)
        .toLocalDate();
  }
}
