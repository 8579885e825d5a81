package dev.tollgate.proxy;

import dev.tollgate.call.Call;
import dev.tollgate.call.TraceIds;
import dev.tollgate.telemetry.Refused;
import dev.tollgate.telemetry.Tracing;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The relay's side of tracing: the caller's W3C trace context read from the request head, and the
 * upstream hop's sent in its place. With tracing off, or a call the sampler leaves out, the headers
 * go upstream as they came.
 */
final class TraceHeaders {
  static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
  static final AsciiString TRACESTATE = AsciiString.cached("tracestate");

  private TraceHeaders() {}

  /**
   * At {@link GateStep#PLAN}: the call with the trace it joins, and {@code headers} (those going
   * upstream) carrying the upstream hop's span as the parent.
   */
  static Call.Request begin(
      Tracing tracing, Call.Request asked, FullHttpRequest request, boolean socket) {
    HttpHeaders headers = request.headers();
    ByteBuf body = request.content();
    if (!tracing.on()) {
      return asked;
    }
    TraceIds t =
        tracing.begin(
            headers.get(TRACEPARENT), headers.get(TRACESTATE), socket, prompt(tracing, body));
    if (t == null) {
      return asked;
    }
    if (t.clientSpanId() != null) {
      headers.set(TRACEPARENT, t.upstreamTraceparent());
    }
    return asked.traced(t);
  }

  /** The body's first characters, when content is captured (a few bytes past, cut after). */
  private static String prompt(Tracing tracing, ByteBuf body) {
    int max = tracing.maxContentChars();
    if (max == 0) {
      return null;
    }
    int bytes = (int) Math.min(body.readableBytes(), 4L * max);
    return body.toString(body.readerIndex(), bytes, StandardCharsets.UTF_8);
  }

  /** A refusal's span, when tracing is on. */
  static void refused(Tracing tracing, Passage p, Refusal r, String requestId, long elapsedNanos) {
    if (!tracing.on()) {
      return;
    }
    Instant now = Instant.now();
    long end = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    HttpHeaders h = p.head.headers();
    tracing.refused(
        new Refused(
            h.get(TRACEPARENT),
            h.get(TRACESTATE),
            p.head.method().name(),
            p.route == null ? null : p.route.path(),
            r.failure().status().code(),
            r.failure().code(),
            requestId,
            p.who == null ? null : p.who.team(),
            end - Math.max(0, elapsedNanos),
            end));
  }
}
