package dev.tollgate.telemetry;

import io.opentelemetry.sdk.trace.IdGenerator;

/**
 * Span and trace ids chosen ahead: a call's spans are built after it ended, yet the id of its
 * upstream hop already went upstream in {@code traceparent} when it was sent. The thread building a
 * span sets the ids the SDK will ask for next; unset, ids are random as usual.
 */
final class PresetIds implements IdGenerator {
  private static final IdGenerator RANDOM = IdGenerator.random();

  private final ThreadLocal<String[]> next = ThreadLocal.withInitial(() -> new String[2]);

  /** The ids the next span built on this thread takes ({@code traceId} only if it is a root). */
  void preset(String traceId, String spanId) {
    String[] n = next.get();
    n[0] = traceId;
    n[1] = spanId;
  }

  void clear() {
    preset(null, null);
  }

  @Override
  public String generateSpanId() {
    String[] n = next.get();
    String id = n[1];
    n[1] = null;
    return id != null ? id : RANDOM.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    String[] n = next.get();
    String id = n[0];
    n[0] = null;
    return id != null ? id : RANDOM.generateTraceId();
  }

  /** A fresh span id, for a span to be built later. */
  static String randomSpanId() {
    return RANDOM.generateSpanId();
  }

  static String randomTraceId() {
    return RANDOM.generateTraceId();
  }
}
