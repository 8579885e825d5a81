package dev.tollgate.call;

import dev.tollgate.attribution.Attribution;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call through Tollgate: what was asked, how the relay went, what the upstream served and what
 * it cost. The ledger, metrics, access log and reports all consume this one type; each part is
 * filled by the stage that knows it (the frontend asks, the exchange relays, metering reads what
 * was served and prices it).
 *
 * @param asked the request as the client sent it
 * @param relay how the relay ended and how long it took
 * @param served what the upstream reported (model, tier, usage), estimated where it said nothing
 * @param charge what the call cost, and how far to trust that
 */
public record Call(Request asked, Relay relay, Served served, Charge charge) {

  public Call {
    Objects.requireNonNull(asked, "asked");
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(served, "served");
    Objects.requireNonNull(charge, "charge");
  }

  /**
   * What the client asked for.
   *
   * @param id the id sent to the client in {@code x-tollgate-request-id}
   * @param model the model the client asked for, or null
   * @param tier the {@code service_tier} as the request spelled it, or null
   * @param attribution who the call is charged to
   * @param session the WebSocket session a turn belongs to (its upgrade's request id), or null for
   *     a call over HTTP
   * @param cacheRetention the {@code prompt_cache_retention} the request asked for, or null: an
   *     extended one bills its cache writes at the model's long-retention write rate
   * @param trace where the call sits in a sampled trace, or null when it is not traced
   */
  public record Request(
      String id,
      Instant start,
      Api api,
      String method,
      String path,
      String model,
      String tier,
      boolean stream,
      Attribution attribution,
      String session,
      String cacheRetention,
      TraceIds trace) {
    public Request {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(attribution, "attribution");
    }

    /**
     * True when the request asked its prompt cache to be kept longer than the default ({@code 12h},
     * {@code 24h}, {@code extended}): OpenAI bills those writes at their own, dearer rate.
     */
    public boolean extendedCacheRetention() {
      if (cacheRetention == null) {
        return false;
      }
      String r = cacheRetention.trim().toLowerCase(java.util.Locale.ROOT);
      return !(r.isEmpty()
          || r.equals("in_memory")
          || r.equals("in-memory")
          || r.equals("default")
          || r.equals("30m")
          || r.equals("5m"));
    }

    /** A call over HTTP: no session. */
    public Request(
        String id,
        Instant start,
        Api api,
        String method,
        String path,
        String model,
        String tier,
        boolean stream,
        Attribution attribution) {
      this(id, start, api, method, path, model, tier, stream, attribution, null, null, null);
    }

    /** This request, traced as {@code trace} says. */
    public Request traced(TraceIds trace) {
      return new Request(
          id,
          start,
          api,
          method,
          path,
          model,
          tier,
          stream,
          attribution,
          session,
          cacheRetention,
          trace);
    }
  }

  /**
   * How the relay ended.
   *
   * @param status the HTTP status the client got (499 when it left first)
   */
  public record Relay(int status, Outcome outcome, Timings timings) {
    public Relay {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(timings, "timings");
    }
  }

  /**
   * What the upstream served, as its response said.
   *
   * @param upstream the upstream's host, or null when unknown
   * @param model the served model, or null when the response named none
   * @param tier the tier as the response spelled it, or null
   * @param usage token counts (estimated when the charge says {@code usage_missing})
   * @param toolCalls built-in tool calls by kind
   * @param error an error the response reported in its body or stream, or null
   * @param provider who served it: the upstream's name, or the default upstream's provider kind
   *     ({@code openai}); null when unknown (calls recorded before providers were)
   * @param responseId the response's own id ({@code chatcmpl-…}, {@code resp_…}, {@code msg_…}), or
   *     null; not kept in the ledger
   * @param finishReasons why the model stopped, as the response said, each once; not kept in the
   *     ledger
   */
  public record Served(
      String upstream,
      String model,
      String tier,
      Usage usage,
      Map<String, Long> toolCalls,
      String error,
      String provider,
      String responseId,
      List<String> finishReasons) {
    public Served {
      Objects.requireNonNull(usage, "usage");
      toolCalls = Map.copyOf(toolCalls);
      finishReasons = List.copyOf(finishReasons);
    }

    /** As a response said it, without its id and finish reasons (calls read back, tests). */
    public Served(
        String upstream,
        String model,
        String tier,
        Usage usage,
        Map<String, Long> toolCalls,
        String error,
        String provider) {
      this(upstream, model, tier, usage, toolCalls, error, provider, null, List.of());
    }
  }

  /**
   * What a call cost.
   *
   * @param status priced, estimated or unpriced
   * @param priceVersion the catalog rule used, e.g. {@code o3@2025-06-10/flex}; null when none
   * @param cost by component; zero when unpriced (and flagged so)
   * @param reasons why the status is not {@code priced}, or why nothing was billed
   * @param savings what the call did not cost, by source: {@code cache}, or a cheaper tier's name;
   *     not stored in the ledger
   * @param before what the call said before it was first repriced, or null when it never was
   */
  public record Charge(
      PricingStatus status,
      String priceVersion,
      Cost cost,
      List<Reason> reasons,
      Map<String, BigDecimal> savings,
      Before before) {
    public Charge {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(cost, "cost");
      reasons = List.copyOf(reasons);
      savings = Map.copyOf(savings);
    }

    /** A charge as metering makes it: never repriced. */
    public Charge(
        PricingStatus status,
        String priceVersion,
        Cost cost,
        List<Reason> reasons,
        Map<String, BigDecimal> savings) {
      this(status, priceVersion, cost, reasons, savings, null);
    }

    public boolean repriced() {
      return before != null;
    }

    /** Nothing to bill, with why. */
    public static Charge nothing(Reason why) {
      return new Charge(PricingStatus.PRICED, null, Cost.ZERO, List.of(why), Map.of());
    }

    public static Charge unpriced(Reason why) {
      return new Charge(PricingStatus.UNPRICED, null, Cost.ZERO, List.of(why), Map.of());
    }

    /**
     * This charge with {@code why} first among its reasons, and a status no better than {@code
     * atLeast}.
     */
    public Charge noting(Reason why, PricingStatus atLeast) {
      List<Reason> all = new java.util.ArrayList<>(reasons.size() + 1);
      all.add(why);
      all.addAll(reasons);
      PricingStatus s = status.ordinal() < atLeast.ordinal() ? atLeast : status;
      return new Charge(s, priceVersion, cost, all, savings, before);
    }
  }

  /**
   * What a repriced call said when it was recorded: kept once, so repricing again never loses it.
   *
   * @param costTotal the total it was recorded at
   * @param repricedAt when it was (last) repriced
   */
  public record Before(
      PricingStatus status, String priceVersion, BigDecimal costTotal, Instant repricedAt) {
    public Before {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(costTotal, "costTotal");
      Objects.requireNonNull(repricedAt, "repricedAt");
    }
  }

  /** This call with its cost. */
  public Call withCharge(Charge charge) {
    return new Call(asked, relay, served, charge);
  }

  public String id() {
    return asked.id();
  }

  public Instant start() {
    return asked.start();
  }

  public Instant end() {
    return asked.start().plusNanos(relay.timings().totalNanos());
  }

  /** The UTC day the call started, {@code YYYY-MM-DD}. */
  public String day() {
    // From the epoch day (an OffsetDateTime built a ZoneRules per call), the last one kept.
    return DayLabels.of(asked.start().getEpochSecond());
  }

  /** The UTC hour the call started, {@code YYYY-MM-DDTHH:00Z}. */
  public String hour() {
    return DayLabels.hour(asked.start().getEpochSecond());
  }

  /** The model shown and priced: the served one when known, else the requested one. */
  public String model() {
    return served.model() != null ? served.model() : asked.model();
  }

  /** The tier the call is priced, stored, reported and labelled at: served, else requested. */
  public ServiceTier tier() {
    return ServiceTier.of(served.tier() != null ? served.tier() : asked.tier());
  }

  public Usage usage() {
    return served.usage();
  }

  public Cost cost() {
    return charge.cost();
  }

  public PricingStatus status() {
    return charge.status();
  }

  public Attribution attribution() {
    return asked.attribution();
  }
}
