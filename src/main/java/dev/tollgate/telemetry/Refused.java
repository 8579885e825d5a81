package dev.tollgate.telemetry;

/**
 * A request Tollgate answered itself with an error, as its span shows it.
 *
 * @param traceparent the caller's header, or null
 * @param tracestate the caller's header, or null
 * @param route the API path it was routed to, or null when it was refused before routing
 * @param code the refusal's error code ({@code invalid_api_key}, {@code budget_exceeded}, ...)
 * @param team who it was attributed to, or null when it was refused before attribution
 * @param startEpochNanos when it arrived
 * @param endEpochNanos when it was answered
 */
public record Refused(
    String traceparent,
    String tracestate,
    String method,
    String route,
    int status,
    String code,
    String requestId,
    String team,
    long startEpochNanos,
    long endEpochNanos) {}
