package dev.tollgate.metrics;

import dev.tollgate.config.MetricsConfig;
import dev.tollgate.ledger.CallRecord;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.metering.CallContext;
import dev.tollgate.metering.CallListener;
import dev.tollgate.openai.Usage;
import dev.tollgate.pricing.CostBreakdown;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.PricingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns each priced call into Prometheus metrics. The cost and token counters partition a call
 * the way the ledger does (components add up to the total; token kinds are disjoint), so
 * dashboards and chargeback reports agree.
 */
public final class Metrics implements CallListener, AutoCloseable {
  private static final Duration[] LATENCY_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
  private static final Duration[] OVERHEAD_BUCKETS = seconds(0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001,
      0.0025, 0.005, 0.01, 0.025, 0.1);
  // The OpenTelemetry GenAI conventions' advised buckets.
  private static final Duration[] GENAI_DURATION = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
      10.24, 20.48, 40.96, 81.92);
  private static final double[] GENAI_TOKENS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
      16777216, 67108864};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Labels labels;
  private final ExactCounters cost;
  private final ExactCounters savings;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics(MetricsConfig config, Supplier<PriceCatalog> catalog) {
    this.labels = new Labels(catalog, config.maxTeams());
    this.cost = new ExactCounters(registry, "tollgate.cost.usd", "Spend in USD by cost component; components add up to the total");
    this.savings = new ExactCounters(registry, "tollgate.savings.usd", "USD not spent thanks to prompt caching or a cheaper tier");
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
  }

  public void bindEventLoops(EventLoopGroup group) {
    new NettyEventExecutorMetrics(group).bindTo(registry);
  }

  public void bindLedger(LedgerWriter writer) {
    Gauge.builder("tollgate.ledger.queue.depth", writer, LedgerWriter::queued)
        .description("Calls waiting for the ledger writer").register(registry);
    FunctionCounter.builder("tollgate.ledger.write.errors", writer, LedgerWriter::writeErrors)
        .description("Failed ledger commits (retried)").register(registry);
    FunctionCounter.builder("tollgate.ledger.dropped", writer, LedgerWriter::dropped)
        .description("Calls not recorded because the ledger queue was full").register(registry);
    FunctionCounter.builder("tollgate.ledger.rows.written", writer, LedgerWriter::written)
        .description("Calls committed to the ledger").register(registry);
  }

  /** The Prometheus text exposition, for {@code GET /metrics}. */
  public String scrape() {
    return registry.scrape();
  }

  /** The meters of one (api, model, team, tier, status) label set, looked up once per call. */
  private final class CallMeters {
    final Tags base;
    final Counter requests;
    final Counter[] tokens = new Counter[TOKEN_KINDS.length];
    final java.util.concurrent.atomic.LongAdder[] costs = new java.util.concurrent.atomic.LongAdder[COMPONENTS.length];

    CallMeters(Key k) {
      base = Tags.of("api", k.api(), "model", k.model(), "team", k.team());
      Tags costTags = base.and("service_tier", k.tier());
      requests = registry.counter("tollgate.requests", base.and("status", k.status()));
      for (int i = 0; i < COMPONENTS.length; i++) {
        costs[i] = cost.series(costTags, "component", COMPONENTS[i]);
      }
      for (int i = 0; i < TOKEN_KINDS.length; i++) {
        tokens[i] = Counter.builder("tollgate.tokens").description("Tokens by kind; kinds are disjoint")
            .tags(base.and("kind", TOKEN_KINDS[i])).register(registry);
      }
    }
  }

  private record Key(String api, String model, String team, String tier, String status) {}

  private static final String[] TOKEN_KINDS = {"input", "cached_input", "cache_write", "output", "reasoning"};
  private static final String[] COMPONENTS = {"input", "cached_input", "cache_write", "output", "reasoning", "tools"};
  private final java.util.concurrent.ConcurrentHashMap<Key, CallMeters> meters = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<String, Timer[]> apiTimers = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.ConcurrentHashMap<List<String>, GenAiMeters> genAi = new java.util.concurrent.ConcurrentHashMap<>();

  private record GenAiMeters(Timer duration, DistributionSummary input, DistributionSummary output) {}

  @Override
  public void onCall(CallRecord r, CallContext call) {
    String model = labels.model(r.model());
    String team = labels.team(r.attribution().team());
    CallMeters m = meters.computeIfAbsent(
        new Key(r.api(), model, team, r.pricedTier(), Integer.toString(r.httpStatus())), CallMeters::new);

    CostBreakdown c = r.cost();
    BigDecimal[] parts = {c.input(), c.cachedInput(), c.cacheWrite(), c.output(), c.reasoning(), c.tools()};
    for (int i = 0; i < parts.length; i++) {
      ExactCounters.add(m.costs[i], parts[i]);
    }
    for (Map.Entry<String, BigDecimal> s : r.savings().entrySet()) {
      savings.add(Tags.of("model", model, "team", team), "source", s.getKey(), s.getValue());
    }
    Usage u = r.usage();
    long[] kinds = {u.uncachedInput(), u.cachedInput(), u.cacheWrite(), u.visibleOutput(), u.reasoning()};
    for (int i = 0; i < kinds.length; i++) {
      m.tokens[i].increment(kinds[i]);
    }
    m.requests.increment();
    if (r.status() == PricingStatus.UNPRICED) {
      registry.counter("tollgate.unpriced.requests", "model", model).increment();
    } else if (r.status() == PricingStatus.ESTIMATED) {
      String reason = r.reasons().isEmpty() ? "unknown" : r.reasons().get(0).split(":", 2)[0];
      registry.counter("tollgate.estimated.requests", "model", model, "reason", reason).increment();
    }
    latency(r, call);
    genAi(r, call, model);
  }

  private void latency(CallRecord r, CallContext call) {
    Timer[] t = apiTimers.computeIfAbsent(r.api(), api -> {
      Tags tags = Tags.of("api", api);
      return new Timer[] {
        timer("tollgate.request.duration", "Whole call as the client saw it", tags, LATENCY_BUCKETS),
        timer("tollgate.upstream.duration", "Request sent upstream to response end", tags, LATENCY_BUCKETS),
        timer("tollgate.overhead", "Time Tollgate itself added (whole call minus upstream), self-reported", tags, OVERHEAD_BUCKETS),
        timer("tollgate.time.to.first.token", "Request sent upstream to its first response byte", tags, LATENCY_BUCKETS)};
    });
    t[0].record(call.totalNanos(), TimeUnit.NANOSECONDS);
    if (call.upstreamNanos() >= 0) {
      t[1].record(call.upstreamNanos(), TimeUnit.NANOSECONDS);
      t[2].record(Math.max(0, call.totalNanos() - call.upstreamNanos()), TimeUnit.NANOSECONDS);
    }
    if (call.ttftNanos() >= 0) {
      t[3].record(call.ttftNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void genAi(CallRecord r, CallContext call, String model) {
    String operation = switch (r.api()) {
      case "chat", "responses" -> "chat";
      case "completions" -> "text_completion";
      case "embeddings" -> "embeddings";
      default -> r.api();
    };
    String requested = labels.model(r.requestedModel());
    GenAiMeters g = genAi.computeIfAbsent(List.of(operation, requested, model), k -> {
      Tags tags = Tags.of("gen_ai.operation.name", operation, "gen_ai.provider.name", "openai",
          "gen_ai.request.model", requested, "gen_ai.response.model", model);
      return new GenAiMeters(
          Timer.builder("gen_ai.client.operation.duration").description("GenAI operation duration (OpenTelemetry semantic conventions)")
              .tags(tags).serviceLevelObjectives(GENAI_DURATION).register(registry),
          tokenUsage(tags.and("gen_ai.token.type", "input")), tokenUsage(tags.and("gen_ai.token.type", "output")));
    });
    g.duration().record(call.totalNanos(), TimeUnit.NANOSECONDS);
    if (r.usage().total() > 0) {
      g.input().record(r.usage().input());
      g.output().record(r.usage().output());
    }
  }

  private DistributionSummary tokenUsage(Tags tags) {
    return DistributionSummary.builder("gen_ai.client.token.usage").description("Tokens used (OpenTelemetry semantic conventions)")
        .tags(tags).serviceLevelObjectives(GENAI_TOKENS).register(registry);
  }

  private Timer timer(String name, String description, Tags tags, Duration[] buckets) {
    return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(buckets).register(registry);
  }

  private static Duration[] seconds(double... values) {
    Duration[] d = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return d;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
