package dev.tollgate.proxy;

import dev.tollgate.call.Call;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.Timings;
import dev.tollgate.config.NamedUpstream;
import dev.tollgate.metering.Metering;
import dev.tollgate.openai.ResponseFacts;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A call as the frontend saw it arrive: the request, plus what only the relay needs.
 *
 * @param startNanos {@link LoopClock#nanoTime} when the request was received
 * @param injectedUsage Tollgate added {@code include_usage} to the request and must hide the answer
 * @param clientHttp10 the client spoke HTTP/1.0 (no chunked responses)
 * @param upstream where the call goes
 */
record CallStart(
    Call.Request asked,
    long startNanos,
    boolean injectedUsage,
    boolean clientHttp10,
    NamedUpstream upstream) {

  /** How the relay ended; negative times mean "did not happen". */
  Call.Relay ended(
      int status, long sentNanos, long firstByteNanos, long nowNanos, Outcome outcome) {
    return new Call.Relay(
        status,
        outcome,
        new Timings(
            nowNanos - startNanos,
            sentNanos < 0 ? -1 : nowNanos - sentNanos,
            firstByteNanos < 0 || sentNanos < 0 ? -1 : firstByteNanos - sentNanos));
  }

  /** Hands the finished call to metering; the request body is released once metering is done. */
  void meter(Metering metering, Call.Relay relay, ResponseFacts facts, FullHttpRequest request) {
    metering.complete(
        asked,
        relay,
        facts,
        () -> new ByteBufInputStream(request.content().duplicate()),
        request::release,
        upstream.config().host(),
        upstream.label());
  }

  String id() {
    return asked.id();
  }

  boolean stream() {
    return asked.stream();
  }
}
