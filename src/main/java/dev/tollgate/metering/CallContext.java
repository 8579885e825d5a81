package dev.tollgate.metering;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.openai.Api;
import java.time.Instant;

/**
 * What the proxy knows of a call before and after the upstream answered, apart from the body.
 *
 * @param requestedTier the {@code service_tier} the request asked for, or null
 * @param httpStatus the status the client got (499 when it left first)
 * @param upstreamNanos request sent to response end, or -1 when nothing was sent
 * @param ttftNanos request sent to the first response byte, or -1
 * @param totalNanos request received to call end
 * @param outcome {@code ok}, or the failure code
 * @param attribution who the call is charged to
 */
public record CallContext(
    String id,
    Instant start,
    Api api,
    String method,
    String path,
    String requestedModel,
    String requestedTier,
    boolean stream,
    int httpStatus,
    long upstreamNanos,
    long ttftNanos,
    long totalNanos,
    String outcome,
    Attribution attribution) {}
