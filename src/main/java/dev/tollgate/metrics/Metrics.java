package dev.tollgate.metrics;

import dev.tollgate.call.Call;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Timings;
import dev.tollgate.call.TokenKind;
import dev.tollgate.call.Usage;
import dev.tollgate.config.MetricsConfig;
import dev.tollgate.config.TelemetryConfig;
import dev.tollgate.metering.CallListener;
import dev.tollgate.pricing.PriceCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns each priced call into Prometheus metrics. The cost and token counters partition a call the
 * way the ledger does (components add up to the total; token kinds are disjoint), so dashboards and
 * chargeback reports agree.
 */
public final class Metrics implements CallListener, AutoCloseable {
  private static final Duration[] LATENCY_BUCKETS =
      seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);
  private static final Duration[] OVERHEAD_BUCKETS =
      seconds(
          0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.1);
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  // The Prometheus registry alone, or with the OTLP push beside it: every meter goes to both.
  private final MeterRegistry registry;
  private final OtlpMeterRegistry otlp; // null unless metrics are pushed
  private final Labels labels;
  private final ExactCounters cost;
  private final ExactCounters savings;
  private final ExactCounters repriced;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public Metrics(MetricsConfig config, TelemetryConfig telemetry, Supplier<PriceCatalog> catalog) {
    this.otlp = OtlpPush.start(telemetry);
    this.registry =
        otlp == null
            ? prometheus
            : new CompositeMeterRegistry(
                io.micrometer.core.instrument.Clock.SYSTEM, List.of(prometheus, otlp));
    this.genAi = new GenAiMetrics(registry);
    this.labels = new Labels(catalog, config.maxTeams(), config.maxUnpricedModels());
    this.cost =
        new ExactCounters(
            registry,
            "tollgate.cost.usd",
            "Spend in USD by cost component; components add up to the total");
    this.savings =
        new ExactCounters(
            registry,
            "tollgate.savings.usd",
            "USD not spent thanks to prompt caching or a cheaper tier");
    this.repriced =
        new ExactCounters(
            registry,
            "tollgate.repriced.usd",
            "Corrections to recorded spend by repricing (direction up: added, down: taken off)");
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

  /** Registers meters that another part keeps (the ledger writer's queue and counts). */
  public void bind(MeterBinder binder) {
    binder.bindTo(registry);
  }

  /** The Prometheus text exposition, for {@code GET /metrics}. */
  public String scrape() {
    return prometheus.scrape();
  }

  /** The meters of one (api, model, team, tier, status) label set, looked up once per call. */
  private final class CallMeters {
    final Tags base;
    final Counter requests;
    final Counter[] tokens = new Counter[TOKEN_KINDS.length];
    final UsdSum[] costs = new UsdSum[COMPONENTS.length];
    private Counter audioSeconds; // made at the first minute-metered call of this label set

    Counter audioSeconds() {
      if (audioSeconds == null) {
        audioSeconds =
            Counter.builder("tollgate.audio.seconds")
                .description("Audio billed by the minute (minute-metered transcription)")
                .baseUnit("seconds")
                .tags(base)
                .register(registry);
      }
      return audioSeconds;
    }

    CallMeters(Key k) {
      base =
          Tags.of("api", k.api(), "model", k.model(), "team", k.team(), "provider", k.provider());
      Tags costTags = base.and("service_tier", k.tier());
      requests = registry.counter("tollgate.requests", base.and("status", k.status()));
      for (CostComponent c : COMPONENTS) {
        costs[c.ordinal()] = cost.series(costTags, "component", c.label());
      }
      for (TokenKind kind : TOKEN_KINDS) {
        tokens[kind.ordinal()] =
            Counter.builder("tollgate.tokens")
                .description("Tokens by kind; kinds are disjoint")
                .tags(base.and("kind", kind.label()))
                .register(registry);
      }
    }
  }

  private record Key(
      String api, String model, String team, String tier, String status, String provider) {}

  private static final TokenKind[] TOKEN_KINDS = TokenKind.values();
  private static final CostComponent[] COMPONENTS = CostComponent.values();
  private final ConcurrentHashMap<Key, CallMeters> meters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer[]> apiTimers = new ConcurrentHashMap<>();
  private final GenAiMetrics genAi;

  @Override
  public void onCall(Call c) {
    String api = c.asked().api().label();
    String model = labels.model(c.model());
    String team = labels.team(c.attribution().team());
    CallMeters m =
        meters.computeIfAbsent(
            new Key(
                api,
                model,
                team,
                c.tier().name(),
                Labels.status(c.relay().status()),
                // Bounded by the config: an upstream's name, or the default's provider kind.
                c.served().provider() == null ? "unknown" : c.served().provider()),
            CallMeters::new);

    for (CostComponent component : COMPONENTS) {
      ExactCounters.add(m.costs[component.ordinal()], c.cost().pico(component));
    }
    for (Map.Entry<String, BigDecimal> s : c.charge().savings().entrySet()) {
      savings.add(Tags.of("model", model, "team", team), "source", s.getKey(), s.getValue());
    }
    Usage u = c.usage();
    for (TokenKind k : TOKEN_KINDS) {
      m.tokens[k.ordinal()].increment(k.of(u));
    }
    if (u.durationMillis() > 0) {
      m.audioSeconds().increment(u.durationMillis() / 1000.0);
    }
    m.requests.increment();
    if (c.status() == PricingStatus.UNPRICED) {
      registry
          .counter("tollgate.unpriced.requests", "model", labels.unpricedModel(c.model()))
          .increment();
    } else if (c.status() == PricingStatus.ESTIMATED) {
      List<Reason> reasons = c.charge().reasons();
      String reason = reasons.isEmpty() ? "unknown" : reasons.get(0).kind().label();
      registry.counter("tollgate.estimated.requests", "model", model, "reason", reason).increment();
    }
    latency(api, c.relay().timings());
    genAi.record(c, labels.model(c.asked().model()), model);
  }

  /**
   * A call repriced after it was recorded: its correction, which the cost counters (counted when
   * the call was made) do not carry. Counters only grow, so a lower price counts as "down".
   */
  public void repriced(Call before, Call after) {
    BigDecimal delta = after.cost().total().subtract(before.cost().total());
    if (delta.signum() != 0) {
      repriced.add(
          Tags.of(
              "model",
              labels.model(after.model()),
              "team",
              labels.team(after.attribution().team())),
          "direction",
          delta.signum() > 0 ? "up" : "down",
          delta.abs());
    }
  }

  private void latency(String api, Timings timings) {
    Timer[] t = apiTimers.get(api); // no capturing lambda per call once the api has its timers
    if (t == null) {
      t =
          apiTimers.computeIfAbsent(
              api,
              a -> {
                Tags tags = Tags.of("api", a);
                return new Timer[] {
                  timer(
                      "tollgate.request.duration",
                      "Whole call as the client saw it",
                      tags,
                      LATENCY_BUCKETS),
                  timer(
                      "tollgate.upstream.duration",
                      "Request sent upstream to response end",
                      tags,
                      LATENCY_BUCKETS),
                  timer(
                      "tollgate.overhead",
                      "Time Tollgate itself added (whole call minus upstream), self-reported",
                      tags,
                      OVERHEAD_BUCKETS),
                  timer(
                      "tollgate.time.to.first.token",
                      "Request sent upstream to its first response byte",
                      tags,
                      LATENCY_BUCKETS)
                };
              });
    }
    t[0].record(timings.totalNanos(), TimeUnit.NANOSECONDS);
    if (timings.upstreamNanos() >= 0) {
      t[1].record(timings.upstreamNanos(), TimeUnit.NANOSECONDS);
      t[2].record(
          Math.max(0, timings.totalNanos() - timings.upstreamNanos()), TimeUnit.NANOSECONDS);
    }
    if (timings.ttftNanos() >= 0) {
      t[3].record(timings.ttftNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private Timer timer(String name, String description, Tags tags, Duration[] buckets) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  static Duration[] seconds(double... values) {
    Duration[] d = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return d;
  }

  @Override
  public void close() {
    gc.close();
    registry.close(); // a push registry sends what it has first
    if (otlp != null) {
      otlp.close();
    }
  }
}
