package dev.tollgate.ledger;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.openai.Usage;
import dev.tollgate.pricing.CostBreakdown;
import dev.tollgate.pricing.PricingStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One call through Tollgate, as it will be billed.
 *
 * @param id the id sent to the client in {@code x-tollgate-request-id}
 * @param api {@code chat}, {@code responses}, {@code embeddings}, ...
 * @param requestedModel the model the client asked for; servedModel the one that answered
 * @param requestedTier the tier asked for; servedTier the tier that served (and priced) the call
 * @param httpStatus the status sent to the client (499 when the client left first)
 * @param usage token counts (estimated when {@code reasons} says {@code usage_missing})
 * @param priceVersion the rule that priced the call, or null
 * @param reasons why the status is not {@code priced}, or why nothing was billed
 * @param ttftMillis time to the first response byte from the upstream, or -1
 * @param attribution who the call is charged to
 * @param savings what caching and cheaper tiers saved, by source (not stored in the ledger)
 */
public record CallRecord(
    String id,
    Instant start,
    Instant end,
    String api,
    String method,
    String path,
    String upstream,
    String requestedModel,
    String servedModel,
    String requestedTier,
    String servedTier,
    int httpStatus,
    boolean stream,
    Usage usage,
    Map<String, Long> toolCalls,
    CostBreakdown cost,
    PricingStatus status,
    String priceVersion,
    List<String> reasons,
    long latencyMillis,
    long ttftMillis,
    String error,
    Attribution attribution,
    Map<String, BigDecimal> savings) {

  public CallRecord {
    toolCalls = Map.copyOf(toolCalls);
    reasons = List.copyOf(reasons);
    java.util.Objects.requireNonNull(attribution, "attribution");
    savings = Map.copyOf(savings);
  }

  /** The UTC day the call started, {@code YYYY-MM-DD}. */
  public String day() {
    return start.atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
  }

  /** The tier the call was priced at: the served one, else the requested one, else default. */
  public String pricedTier() {
    String t = servedTier != null ? servedTier : requestedTier;
    return t == null || t.isBlank() || t.equals("auto") ? "default" : t;
  }

  /** The model shown and priced: the served one when known. */
  public String model() {
    return servedModel != null ? servedModel : requestedModel;
  }
}
