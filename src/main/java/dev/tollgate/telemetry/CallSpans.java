package dev.tollgate.telemetry;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.tollgate.call.Call;
import dev.tollgate.call.GenAi;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.Timings;
import dev.tollgate.call.TraceIds;
import dev.tollgate.metering.CallListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;

/**
 * Builds a finished call's spans on the metering thread, after pricing, so the cost is on them: the
 * server span (the call as the client saw it) and, when the request went upstream, a client span
 * for that hop with the id already sent upstream in {@code traceparent}. Their times are the call's
 * own, measured on the event loop.
 */
final class CallSpans implements CallListener {
  static final String FIRST_TOKEN = "gen_ai.first_token";
  static final AttributeKey<Long> TTFT_MS = AttributeKey.longKey("tollgate.ttft_ms");

  static final AttributeKey<String> PROMPT = AttributeKey.stringKey("tollgate.content.request");
  static final AttributeKey<String> COMPLETION =
      AttributeKey.stringKey("tollgate.content.completion");

  private final Tracer tracer;
  private final PresetIds ids;
  private final int maxContentChars;

  CallSpans(Tracer tracer, PresetIds ids, int maxContentChars) {
    this.tracer = tracer;
    this.ids = ids;
    this.maxContentChars = maxContentChars;
  }

  @Override
  public void onCall(Call c) {
    TraceIds t = c.asked().trace();
    if (t == null) {
      return;
    }
    Timings time = c.relay().timings();
    long start = epochNanos(c.start());
    long end = start + Math.max(0, time.totalNanos());
    String model = c.asked().model() != null ? c.asked().model() : c.served().model();
    String operation = GenAi.operation(c.asked().api());
    SpanBuilder b =
        tracer
            .spanBuilder(model == null ? operation : operation + " " + model)
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(start, NANOSECONDS);
    CallAttributes.server(c, b);
    parent(b, Propagation.parent(t.traceparent(), t.tracestate()));
    if (t.capturing()) {
      b.setAttribute(PROMPT, t.prompt());
      if (t.completion() != null) {
        b.setAttribute(COMPLETION, Tracing.cut(t.completion(), maxContentChars));
      }
    }
    Span server = start(b, t.traceId(), t.serverSpanId());
    if (time.upstreamNanos() >= 0) {
      long sent = Math.max(start, end - time.upstreamNanos());
      SpanBuilder cb =
          tracer
              .spanBuilder(c.asked().method() == null ? "upstream" : c.asked().method())
              .setParent(Context.root().with(server))
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(sent, NANOSECONDS);
      CallAttributes.client(c, cb);
      Span client = start(cb, null, t.clientSpanId());
      if (time.ttftNanos() >= 0 && c.asked().stream()) {
        server.addEvent(
            FIRST_TOKEN,
            Attributes.of(TTFT_MS, time.ttftNanos() / 1_000_000),
            sent + time.ttftNanos(),
            NANOSECONDS);
      }
      if (c.relay().status() >= 500) {
        client.setStatus(StatusCode.ERROR, "upstream answered " + c.relay().status());
      }
      client.end(end, NANOSECONDS);
    }
    Outcome how = c.relay().outcome();
    if (!how.ok() && !how.equals(Outcome.CLIENT_CLOSED)) { // a client that left is no error
      server.setStatus(StatusCode.ERROR, how.code());
    } else if (c.relay().status() >= 500) {
      server.setStatus(StatusCode.ERROR, "upstream answered " + c.relay().status());
    }
    server.end(end, NANOSECONDS);
  }

  /** A refusal's span: one server span, an error with the refusal's code. */
  void refused(Refused r, Context parent) {
    SpanBuilder b =
        tracer
            .spanBuilder(r.route() == null ? r.method() : r.method() + " " + r.route())
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(r.startEpochNanos(), NANOSECONDS)
            .setAttribute(CallAttributes.METHOD, r.method())
            .setAttribute(CallAttributes.STATUS, (long) r.status())
            .setAttribute(CallAttributes.ERROR_TYPE, r.code())
            .setAttribute(CallAttributes.REQUEST_ID, r.requestId());
    if (r.route() != null) {
      b.setAttribute(CallAttributes.ROUTE, r.route());
    }
    if (r.team() != null) {
      b.setAttribute(CallAttributes.TEAM, r.team());
    }
    parent(b, parent);
    Span span = b.startSpan();
    span.setStatus(StatusCode.ERROR, r.code());
    span.end(r.endEpochNanos(), NANOSECONDS);
  }

  /** The caller's span as the parent, or a new trace when it sent none (or a bad one). */
  private static void parent(SpanBuilder b, Context parent) {
    if (Span.fromContext(parent).getSpanContext().isValid()) {
      b.setParent(parent);
    } else {
      b.setNoParent();
    }
  }

  /** Starts the span with the ids chosen when the call arrived (null: any). */
  private Span start(SpanBuilder b, String traceId, String spanId) {
    ids.preset(traceId, spanId);
    try {
      return b.startSpan();
    } finally {
      ids.clear();
    }
  }

  private static long epochNanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
