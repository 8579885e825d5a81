/**
 * OpenTelemetry traces of calls: the trace a call joins, fixed on arrival (its ids go upstream in
 * {@code traceparent}), and its spans built from the finished, priced call off the request path.
 */
package dev.tollgate.telemetry;
