package dev.tollgate.proxy;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.metering.CallContext;
import dev.tollgate.openai.Api;
import java.time.Instant;

/**
 * A call as the frontend saw it arrive.
 *
 * @param injectedUsage Tollgate added {@code include_usage} to the request and must hide the answer
 * @param clientHttp10 the client spoke HTTP/1.0 (no chunked responses)
 */
record CallStart(
    String id,
    Instant start,
    long startNanos,
    Api api,
    String method,
    String path,
    String model,
    String tier,
    boolean stream,
    boolean injectedUsage,
    boolean clientHttp10,
    Attribution attribution) {

  /** The call's context for metering once it ended; negative times mean "did not happen". */
  CallContext ended(int status, long sentNanos, long firstByteNanos, long nowNanos, String outcome) {
    return new CallContext(id, start, api, method, path, model, tier, stream, status,
        sentNanos < 0 ? -1 : nowNanos - sentNanos,
        firstByteNanos < 0 || sentNanos < 0 ? -1 : firstByteNanos - sentNanos,
        nowNanos - startNanos, outcome, attribution);
  }
}
