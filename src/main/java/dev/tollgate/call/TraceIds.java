package dev.tollgate.call;

/**
 * Where a call sits in a distributed trace, fixed when it arrived so that its spans, built after it
 * ended, carry the ids already sent upstream in {@code traceparent}. Only sampled calls have one.
 * The ids are W3C trace-context hex.
 *
 * @param traceparent the caller's {@code traceparent} header as it came, or null: the call's span
 *     is then a trace's root
 * @param tracestate the caller's {@code tracestate} header as it came, or null
 * @param traceId the trace's id (the caller's, or new)
 * @param serverSpanId the id the call's server span takes, or null for any (a WebSocket turn)
 * @param clientSpanId the id of the span of the upstream hop, sent upstream as its parent; null
 *     when no {@code traceparent} of Tollgate's went upstream (WebSocket turns)
 * @param prompt the request body as sent, cut to size, when content capture is on; else null
 * @param completion the text the model produced, cut to size, once metered, when content capture is
 *     on; else null
 */
public record TraceIds(
    String traceparent,
    String tracestate,
    String traceId,
    String serverSpanId,
    String clientSpanId,
    String prompt,
    String completion) {

  public TraceIds {
    java.util.Objects.requireNonNull(traceId, "traceId");
  }

  /** The {@code traceparent} sent upstream: this trace, the upstream hop's span, sampled. */
  public String upstreamTraceparent() {
    return "00-" + traceId + "-" + clientSpanId + "-01";
  }

  /** A sampled call's trace, its content not captured. */
  public TraceIds(
      String traceparent,
      String tracestate,
      String traceId,
      String serverSpanId,
      String clientSpanId) {
    this(traceparent, tracestate, traceId, serverSpanId, clientSpanId, null, null);
  }

  /** The trace of a WebSocket turn of the session this upgrade opened: its own span ids. */
  public TraceIds forTurn() {
    return new TraceIds(traceparent, tracestate, traceId, null, null);
  }

  /** True when the call's texts are to be recorded on its span (content capture is on). */
  public boolean capturing() {
    return prompt != null;
  }

  /** This trace with the model's output text, as metering read it. */
  public TraceIds completed(String text) {
    return new TraceIds(traceparent, tracestate, traceId, serverSpanId, clientSpanId, prompt, text);
  }
}
