package dev.tollgate.jmh;

import dev.tollgate.call.Call.Charge;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Usage;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.ToolQuota;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Pricing one call against the catalog built into the jar, as the metering thread does. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PricingBenchmark {
  private static final ServiceTier FLEX = ServiceTier.of("flex");

  private PriceCatalog catalog;
  private final Pricer pricer = new Pricer(new ToolQuota());
  private final Usage usage = new Usage(1117, 1024, 0, 46, 0, 0, 0);
  private final Usage reasoning = new Usage(20_000, 4_096, 0, 3_000, 2_048, 0, 0);
  private final Instant start = Instant.parse("2026-11-23T10:00:00Z");

  @Setup
  public void setUp() {
    catalog = CatalogLoader.bundled();
  }

  @Benchmark
  public Charge gpt4oMiniCached() {
    return pricer.price(
        catalog, "gpt-4o-mini-2024-07-18", ServiceTier.DEFAULT, usage, Map.of(), start);
  }

  @Benchmark
  public Charge o3FlexWithReasoning() {
    return pricer.price(catalog, "o3", FLEX, reasoning, Map.of(), start);
  }

  /** A budget's worst case for the same call: the cost by the same rules, no id or savings. */
  @Benchmark
  public Charge o3FlexEstimate() {
    return pricer.estimate(catalog, "o3", FLEX, reasoning, start);
  }

  @Benchmark
  public Charge gpt4oMiniEstimate() {
    return pricer.estimate(catalog, "gpt-4o-mini-2024-07-18", ServiceTier.DEFAULT, usage, start);
  }
}
