package dev.tollgate.metrics;

import dev.tollgate.call.Call;
import dev.tollgate.call.GenAi;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The OpenTelemetry GenAI semantic conventions' client metrics, with their advised buckets. */
final class GenAiMetrics {
  private static final Duration[] DURATION_BUCKETS =
      Metrics.seconds(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  private static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
  };

  private record Meters(Timer duration, DistributionSummary input, DistributionSummary output) {}

  private final MeterRegistry registry;
  private final ConcurrentHashMap<List<String>, Meters> meters = new ConcurrentHashMap<>();

  GenAiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param requested and {@code served}: bounded model labels
   */
  void record(Call c, String requested, String served) {
    String operation = GenAi.operation(c.asked().api());
    String provider = GenAi.provider(c);
    Meters m =
        meters.computeIfAbsent(
            List.of(operation, provider, requested, served),
            k -> {
              Tags tags =
                  Tags.of(
                      "gen_ai.operation.name",
                      operation,
                      "gen_ai.provider.name",
                      provider,
                      "gen_ai.request.model",
                      requested,
                      "gen_ai.response.model",
                      served);
              return new Meters(
                  Timer.builder("gen_ai.client.operation.duration")
                      .description("GenAI operation duration (OpenTelemetry semantic conventions)")
                      .tags(tags)
                      .serviceLevelObjectives(DURATION_BUCKETS)
                      .register(registry),
                  tokenUsage(tags.and("gen_ai.token.type", "input")),
                  tokenUsage(tags.and("gen_ai.token.type", "output")));
            });
    m.duration().record(c.relay().timings().totalNanos(), TimeUnit.NANOSECONDS);
    if (c.usage().total() > 0) {
      m.input().record(c.usage().input());
      m.output().record(c.usage().output());
    }
  }

  private DistributionSummary tokenUsage(Tags tags) {
    return DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Tokens used (OpenTelemetry semantic conventions)")
        .tags(tags)
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry);
  }
}
