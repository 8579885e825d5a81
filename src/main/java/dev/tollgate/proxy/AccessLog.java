package dev.tollgate.proxy;

import static net.logstash.logback.argument.StructuredArguments.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per call on the {@code tollgate.access} logger: {@code key=value} pairs in text mode,
 * top-level fields in JSON mode (the same structured arguments feed both).
 */
public final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("tollgate.access");

  private final boolean enabled;

  public AccessLog(boolean enabled) {
    this.enabled = enabled && LOG.isInfoEnabled();
  }

  /**
   * @param upstreamNanos time from sending the request upstream to the end of its response, or -1
   * @param outcome {@code ok} or the failure code Tollgate answered or aborted with
   */
  void log(
      String method, String path, int status, String model, long upstreamNanos, long totalNanos, String outcome) {
    if (!enabled) {
      return;
    }
    LOG.info(
        "{} {} {} {} {} {} {}",
        kv("method", method),
        kv("path", path),
        kv("status", status),
        kv("model", model == null ? "-" : model),
        kv("upstream_ms", upstreamNanos < 0 ? "-" : millis(upstreamNanos)),
        kv("total_ms", millis(totalNanos)),
        kv("outcome", outcome));
  }

  private static String millis(long nanos) {
    return String.format("%.3f", nanos / 1_000_000.0);
  }
}
