package dev.tollgate.call;

/**
 * How long a call took, in nanoseconds; -1 means "did not happen" (nothing was sent upstream, no
 * byte came back).
 *
 * @param totalNanos request received to call end, as the client saw it
 * @param upstreamNanos request sent upstream to response end, or -1
 * @param ttftNanos request sent upstream to its first response byte, or -1
 */
public record Timings(long totalNanos, long upstreamNanos, long ttftNanos) {

  /** Timings read back from the ledger, which keeps whole milliseconds and no upstream time. */
  public static Timings ofMillis(long totalMillis, long ttftMillis) {
    return new Timings(totalMillis * 1_000_000, -1, ttftMillis < 0 ? -1 : ttftMillis * 1_000_000);
  }

  public long totalMillis() {
    return totalNanos / 1_000_000;
  }

  public long ttftMillis() {
    return ttftNanos < 0 ? -1 : ttftNanos / 1_000_000;
  }
}
