package dev.tollgate.telemetry;

import dev.tollgate.call.TraceIds;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TelemetryConfig;
import dev.tollgate.metering.CallListener;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tollgate's traces, through the OpenTelemetry SDK configured as any SDK is ({@code OTEL_*}, over
 * the {@code telemetry:} block). On the request path it only decides, in {@link #begin}, whether a
 * call is sampled and which ids its spans will take; the spans themselves are built by {@link
 * CallSpans} on the metering thread from the finished, priced call, and exported by the SDK's batch
 * processor (bounded queue, its own thread). Off, it does nothing at all.
 */
public final class Tracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  private final OpenTelemetrySdk sdk; // null when off
  private final Tracer tracer;
  private final Sampler sampler;
  private final PresetIds ids = new PresetIds();
  private final SpanDrops drops = new SpanDrops();
  private final CallSpans spans;
  private final int maxContentChars; // 0: content is not captured

  private Tracing(TelemetryConfig config) {
    if (!config.traces()) {
      sdk = null;
      tracer = null;
      sampler = null;
      spans = null;
      maxContentChars = 0;
      return;
    }
    try {
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              // The config already holds the OTEL_* variables over the file: the whole truth.
              .addPropertiesCustomizer(properties -> config.sdk())
              .addTracerProviderCustomizer((b, properties) -> b.setIdGenerator(ids))
              .addMeterProviderCustomizer((b, properties) -> b.registerMetricReader(drops))
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
    } catch (ConfigurationException e) {
      // A bad sampler, protocol or endpoint stops start-up with one line, like any config error.
      throw new ConfigException("telemetry (or its OTEL_* variables): " + e.getMessage(), e);
    }
    tracer = sdk.getTracer("dev.tollgate");
    sampler = sdk.getSdkTracerProvider().getSampler();
    maxContentChars = config.captureContent() ? config.maxContentChars() : 0;
    spans = new CallSpans(tracer, ids, maxContentChars);
    LOG.info(
        "Traces exported over OTLP to {} ({}), sampler {}",
        config
            .sdkProperty("otel.exporter.otlp.traces.endpoint")
            .or(() -> config.sdkProperty("otel.exporter.otlp.endpoint"))
            .orElse("the default endpoint"),
        config.sdkProperty("otel.exporter.otlp.protocol").orElse("http/protobuf"),
        sampler.getDescription());
  }

  /** Tracing as {@code config} says: off unless asked for. */
  public static Tracing start(TelemetryConfig config) {
    return new Tracing(config);
  }

  public boolean on() {
    return sdk != null;
  }

  /**
   * On the event loop, as a call is sent: the trace it joins (the caller's {@code traceparent}, or
   * a new one) and its spans' ids, or null when tracing is off or the sampler leaves it out.
   *
   * @param socket a WebSocket upgrade: its turns get spans, the upgrade itself none, so no span id
   *     of Tollgate's goes upstream
   * @param prompt the request body's text when {@link #maxContentChars} asks for it (the caller
   *     reads no more than about that), else null
   */
  public TraceIds begin(String traceparent, String tracestate, boolean socket, String prompt) {
    if (sdk == null) {
      return null;
    }
    Context parent = Propagation.parent(traceparent, tracestate);
    SpanContext pc = Span.fromContext(parent).getSpanContext();
    String traceId = pc.isValid() ? pc.getTraceId() : PresetIds.randomTraceId();
    // The SDK asks the same sampler again when the span is built; the built-in ones decide from
    // the parent and the trace id alone, so the answer is the same.
    SamplingDecision d =
        sampler
            .shouldSample(parent, traceId, "call", SpanKind.SERVER, Attributes.empty(), List.of())
            .getDecision();
    if (d != SamplingDecision.RECORD_AND_SAMPLE) {
      return null;
    }
    String incoming = pc.isValid() ? traceparent : null;
    String state = pc.isValid() ? tracestate : null;
    if (socket) {
      return new TraceIds(incoming, state, traceId, null, null);
    }
    String captured = maxContentChars > 0 && prompt != null ? cut(prompt, maxContentChars) : null;
    return new TraceIds(
        incoming,
        state,
        traceId,
        PresetIds.randomSpanId(),
        PresetIds.randomSpanId(),
        captured,
        null);
  }

  /**
   * Characters of a call's request and response text recorded on its span: 0 unless {@code
   * telemetry.capture_content} asked for them.
   */
  public int maxContentChars() {
    return maxContentChars;
  }

  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }

  /** Builds each finished call's spans; does nothing when tracing is off. */
  public CallListener calls() {
    return spans == null ? call -> {} : spans;
  }

  /**
   * A request Tollgate refused itself (401, 403, 413, 429, ...): one server span with an error
   * status naming the refusal's code. Built at once, on the event loop; refusals are answered
   * without a call to meter.
   */
  public void refused(Refused r) {
    if (spans != null) {
      spans.refused(r, Propagation.parent(r.traceparent(), r.tracestate()));
    }
  }

  /** {@code tollgate_trace_spans_dropped_total}. */
  public MeterBinder meters() {
    return drops;
  }

  /** Exports what is queued (up to 5 s), then stops. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
