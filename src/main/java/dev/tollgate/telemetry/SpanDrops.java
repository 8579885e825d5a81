package dev.tollgate.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Spans the SDK's batch processor dropped (its queue full: the collector slow or away), read from
 * the processor's own counter and shown as {@code tollgate_trace_spans_dropped_total}. The SDK
 * counts them in its metrics only; this reader is the bridge, read at each scrape.
 */
final class SpanDrops implements MetricReader, MeterBinder {
  private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
  private static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");

  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  /** Spans dropped so far. */
  long dropped() {
    long sum = 0;
    for (MetricData m : registration.collectAllMetrics()) {
      boolean processed =
          m.getName().equals("processedSpans")
              || m.getName().equals("otel.sdk.processor.span.processed");
      if (processed && m.getType() == MetricDataType.LONG_SUM) {
        for (LongPointData p : m.getLongSumData().getPoints()) {
          if (dropped(p.getAttributes())) {
            sum += p.getValue();
          }
        }
      }
    }
    return sum;
  }

  /** Legacy instrumentation marks a drop {@code dropped=true}; the newer, with an error type. */
  private static boolean dropped(Attributes a) {
    return Boolean.TRUE.equals(a.get(DROPPED)) || a.get(ERROR) != null;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("tollgate.trace.spans.dropped", this, SpanDrops::dropped)
        .description("Spans not exported because the span queue was full (telemetry.max_queue)")
        .register(registry);
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }
}
