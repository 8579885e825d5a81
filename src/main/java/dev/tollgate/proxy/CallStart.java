package dev.tollgate.proxy;

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
    boolean clientHttp10) {}
