package dev.tollgate.telemetry;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;

/** The caller's W3C trace context, read by the SDK's own propagator (which checks its syntax). */
final class Propagation {
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  /** The two headers as they came; either may be null. */
  private record Headers(String traceparent, String tracestate) {}

  private static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
          return List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(Headers carrier, String key) {
          if (carrier == null) {
            return null;
          }
          return switch (key) {
            case TRACEPARENT -> carrier.traceparent();
            case TRACESTATE -> carrier.tracestate();
            default -> null;
          };
        }
      };

  private Propagation() {}

  /** The context a span continues: the caller's, or the root when it sent none (or a bad one). */
  static Context parent(String traceparent, String tracestate) {
    if (traceparent == null) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), new Headers(traceparent, tracestate), GETTER);
  }
}
