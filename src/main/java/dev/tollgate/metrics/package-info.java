/**
 * Prometheus metrics (Micrometer): spend, tokens, savings, latency and the OpenTelemetry GenAI
 * conventions, with bounded label cardinality. Names and labels are a public contract.
 */
package dev.tollgate.metrics;
