package dev.tollgate.pricing;

import dev.tollgate.call.Call.Charge;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Money;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Usage;
import dev.tollgate.pricing.PriceVersion.LongContext;
import dev.tollgate.pricing.PriceVersion.ToolFee;
import dev.tollgate.pricing.PriceVersion.Window;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Prices a call: picks the version in effect when the call started, the served tier's rates, the
 * long-context rule and any time window, then costs each kind of token exactly.
 */
public final class Pricer {

  /** Priority (Fast) rates for a model the catalog gives none: twice standard, flagged. */
  static final BigDecimal PRIORITY_FALLBACK = new BigDecimal("2");

  /**
   * Ultrafast rates for a model the catalog gives none (PRICES.md §6.7: GA 2026-09-29 at 3× the
   * default rates until 2027-02-28, then 6×), flagged.
   */
  static final Instant ULTRAFAST_DOUBLES = Instant.parse("2027-03-01T00:00:00Z");

  private final ToolQuota quota;

  public Pricer(ToolQuota quota) {
    this.quota = quota;
  }

  /**
   * @param model the served model (or the requested one when the response named none)
   * @param tier the tier that served the call (normalised once, in {@link ServiceTier#of})
   * @param toolCalls built-in tool calls by kind
   * @param start when the call started: picks the price version and time window
   */
  public Charge price(
      PriceCatalog catalog,
      String model,
      ServiceTier served,
      Usage usage,
      Map<String, Long> toolCalls,
      Instant start) {
    return price(catalog, model, served, usage, toolCalls, start, true);
  }

  /**
   * As {@link #price}, by the same rules, for an estimate that needs only the cost and whether it
   * is priced (a budget's worst case, made on the event loop before every budgeted call): no price
   * version id and no savings, which were a third of pricing's work.
   */
  public Charge estimate(
      PriceCatalog catalog, String model, ServiceTier served, Usage usage, Instant start) {
    return price(catalog, model, served, usage, Map.of(), start, false);
  }

  private Charge price(
      PriceCatalog catalog,
      String model,
      ServiceTier served,
      Usage usage,
      Map<String, Long> toolCalls,
      Instant start,
      boolean detail) {
    ServiceTier tier = served.priced(); // fast is priority's rates
    Optional<ModelPrice> entry = catalog.resolve(model);
    if (entry.isEmpty()) {
      return Charge.unpriced(Reason.of(Reason.Kind.NO_PRICE, model));
    }
    ModelPrice modelPrice = entry.get();
    PriceVersion version = modelPrice.versionAt(start);
    List<Reason> reasons = new ArrayList<>();
    // A synced source's price says where it came from: litellm:gpt-x@2026-12-01.
    StringBuilder id = detail ? new StringBuilder(64) : null; // source:model@date/tier/window
    if (id != null) {
      if (modelPrice.source() != null) {
        id.append(modelPrice.source()).append(':');
      }
      id.append(modelPrice.name()).append('@').append(version.label());
    }
    // A synced source's first price for a model is dated the day Tollgate first saw it, not the
    // day it took effect: it covers the model's earlier calls (only later changes are dated).
    if (version.since().isAfter(start) && modelPrice.source() == null) {
      reasons.add(Reason.of(Reason.Kind.BEFORE_FIRST_PRICE, version.label()));
    }

    if (version.unconfirmed()) {
      reasons.add(Reason.of(Reason.Kind.PRICE_UNCONFIRMED));
    }
    Rates tierRates = tier.isDefault() ? null : version.tiers().get(tier.name());
    if (!tier.isDefault() && tierRates == null) {
      reasons.add(Reason.of(Reason.Kind.TIER_UNPRICED, tier));
      BigDecimal dearer = dearerTierFallback(tier, start);
      if (dearer != null) {
        // A dearer tier is never billed at default rates: flagged, at its usual multiple.
        tierRates = version.rates().scaled(dearer);
        if (id != null) {
          id.append('/').append(tier).append('~');
        }
      }
    } else if (tierRates != null && id != null) {
      id.append('/').append(tier);
    }
    Optional<LongContext> longContext =
        version.longContext().filter(lc -> usage.input() > lc.threshold());
    if (longContext.isPresent() && id != null) {
      id.append("/long");
    }
    // Epoch arithmetic, not atZone(UTC): that builds zone rules and a date-time per call.
    LocalTime time = version.windows().isEmpty() ? null : utcTime(start);
    Optional<Window> window = Optional.empty();
    for (Window w : version.windows()) {
      if (w.contains(time)) {
        window = Optional.of(w);
        break;
      }
    }
    if (window.isPresent() && id != null) {
      id.append('/').append(window.get().name());
    }

    Rates base = tierRates != null ? tierRates : version.rates();
    if (usage.durationMillis() > 0 && base.perMinute() == null) {
      // Minutes with no per-minute rate, or tokens on a model priced only by the minute: the
      // catalog has no price for what the call used. Unpriced, never $0.
      return Charge.unpriced(Reason.of(Reason.Kind.NO_PRICE, model + " per minute"));
    }
    if (usage.total() > 0 && !base.tokensPriced()) {
      return Charge.unpriced(Reason.of(Reason.Kind.NO_PRICE, model + " per token"));
    }
    BigDecimal tools = // the day matters only to a tool's free daily quota
        toolCalls.isEmpty()
            ? BigDecimal.ZERO
            : toolFees(
                modelPrice.name(), version, toolCalls, LocalDate.ofInstant(start, ZoneOffset.UTC));
    Rates rates = applyRules(base, longContext, window);
    Cost cost = cost(rates, usage, tools);
    if (!detail) {
      return new Charge(
          reasons.isEmpty() ? PricingStatus.PRICED : PricingStatus.ESTIMATED,
          null,
          cost,
          reasons,
          Map.of());
    }
    Map<String, BigDecimal> savings = new TreeMap<>();
    // What reading from the cache saved: cached text against the input rate, cached audio
    // against the audio rate.
    long cachedAudio = usage.cachedAudioInput();
    BigDecimal cacheSaving =
        perMillion(usage.cachedInput() - cachedAudio, rates.input().subtract(rates.cachedInput()))
            .add(perMillion(cachedAudio, rates.audioInput().subtract(rates.cachedAudioInput())));
    if (cacheSaving.signum() > 0) {
      savings.put("cache", cacheSaving);
    }
    if (tierRates != null) {
      BigDecimal atDefault =
          cost(applyRules(version.rates(), longContext, window), usage, tools).total();
      BigDecimal tierSaving = atDefault.subtract(cost.total());
      if (tierSaving.signum() > 0) {
        savings.put(tier.name(), tierSaving); // flex, batch; a dearer tier (priority) saves nothing
      }
    }
    return new Charge(
        reasons.isEmpty() ? PricingStatus.PRICED : PricingStatus.ESTIMATED,
        id.toString(),
        cost,
        reasons,
        savings);
  }

  /** The multiple of default rates a dearer tier without rates of its own is billed at, or null. */
  static BigDecimal dearerTierFallback(ServiceTier tier, Instant start) {
    if (tier.equals(ServiceTier.PRIORITY)) {
      return PRIORITY_FALLBACK;
    }
    if (tier.equals(ServiceTier.ULTRAFAST)) {
      return start.isBefore(ULTRAFAST_DOUBLES) ? BigDecimal.valueOf(3) : BigDecimal.valueOf(6);
    }
    return null;
  }

  private static Rates applyRules(
      Rates rates, Optional<LongContext> longContext, Optional<Window> window) {
    Rates r = rates;
    if (longContext.isPresent()) {
      r = r.scaled(longContext.get().inputFactor(), longContext.get().outputFactor());
    }
    if (window.isPresent()) {
      r = r.scaled(window.get().multiplier());
    }
    return r;
  }

  /** Costs each component at per-1M rates; exact, since rates are decimals and counts integers. */
  static Cost cost(Rates r, Usage u, BigDecimal tools) {
    long audioIn = Math.min(u.audioInput(), u.uncachedInput());
    long audioOut = Math.min(u.audioOutput(), u.visibleOutput());
    long write1h = u.cacheWrite1h();
    var parts = Cost.components();
    parts.put(
        CostComponent.INPUT,
        Money.plus(
            perMillion(u.uncachedInput() - audioIn, r.input()),
            perMillion(audioIn, r.audioInput())));
    parts.put(
        CostComponent.CACHED_INPUT,
        Money.plus(
            perMillion(u.cachedInput() - u.cachedAudioInput(), r.cachedInput()),
            perMillion(u.cachedAudioInput(), r.cachedAudioInput())));
    parts.put(
        CostComponent.CACHE_WRITE,
        Money.plus(
            perMillion(u.cacheWrite() - write1h, r.cacheWrite5m()),
            perMillion(write1h, r.cacheWrite1h())));
    parts.put(
        CostComponent.OUTPUT,
        Money.plus(
            perMillion(u.visibleOutput() - audioOut, r.output()),
            perMillion(audioOut, r.audioOutput())));
    parts.put(CostComponent.REASONING, perMillion(u.reasoning(), r.reasoning()));
    parts.put(CostComponent.TOOLS, tools);
    parts.put(CostComponent.DURATION, perMinute(u.durationMillis(), r.perMinute()));
    return Cost.of(parts);
  }

  private static final BigDecimal MILLIS_PER_MINUTE = BigDecimal.valueOf(60_000);

  /** {@code millis} of audio at {@code rate} USD a minute: exact (a rate over 60,000 ms). */
  static BigDecimal perMinute(long millis, BigDecimal rate) {
    if (millis == 0 || rate == null) {
      return BigDecimal.ZERO;
    }
    // 60,000 has a factor 3, so the quotient need not terminate: 18 places keep any rounding a
    // million times below the pico-dollar the ledger stores.
    return BigDecimal.valueOf(millis)
        .multiply(rate)
        .divide(MILLIS_PER_MINUTE, 18, java.math.RoundingMode.HALF_EVEN)
        .stripTrailingZeros();
  }

  private BigDecimal toolFees(
      String model, PriceVersion version, Map<String, Long> toolCalls, LocalDate day) {
    BigDecimal total = BigDecimal.ZERO;
    // Sorted, so quota bookkeeping does not depend on map order.
    for (Map.Entry<String, Long> call : new TreeMap<>(toolCalls).entrySet()) {
      ToolFee fee = version.tools().get(call.getKey());
      if (fee == null || call.getValue() <= 0) {
        continue;
      }
      long billable = call.getValue();
      if (fee.freePerDay() > 0) {
        long before = quota.record(model, call.getKey(), day, call.getValue());
        long freeLeft = Math.max(0, fee.freePerDay() - before);
        billable = Math.max(0, call.getValue() - freeLeft);
      }
      total = total.add(fee.per1kCalls().multiply(BigDecimal.valueOf(billable)).movePointLeft(3));
    }
    return total;
  }

  /** The instant's UTC time of day. */
  static LocalTime utcTime(Instant t) {
    return LocalTime.ofNanoOfDay(
        Math.floorMod(t.getEpochSecond(), 86_400L) * 1_000_000_000L + t.getNano());
  }

  private static BigDecimal perMillion(long tokens, BigDecimal ratePerMillion) {
    return tokens == 0
        ? BigDecimal.ZERO
        : ratePerMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
  }
}
