package dev.tollgate.metering;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.tollgate.ledger.CallRecord;
import dev.tollgate.pricing.CostBreakdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per call on the {@code tollgate.access} logger: {@code key=value} pairs in text mode,
 * top-level fields in JSON mode (the same structured arguments feed both). Keys never appear.
 */
public final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("tollgate.access");

  private final boolean enabled;

  public AccessLog(boolean enabled) {
    this.enabled = enabled && LOG.isInfoEnabled();
  }

  /** A call that reached the relay, with its tokens and cost. */
  public void log(CallRecord c, long upstreamNanos, long totalNanos, String outcome) {
    if (!enabled) {
      return;
    }
    LOG.info(
        "{} {} {} {} {} {} {} {} {} {} {} {}",
        kv("id", c.id()),
        kv("method", c.method()),
        kv("path", c.path()),
        kv("status", c.httpStatus()),
        kv("model", c.model() == null ? "-" : c.model()),
        kv("upstream_ms", upstreamNanos < 0 ? "-" : millis(upstreamNanos)),
        kv("total_ms", millis(totalNanos)),
        kv("tokens_in", c.usage().input()),
        kv("tokens_out", c.usage().output()),
        kv("cost_usd", CostBreakdown.format(c.cost().total())),
        kv("pricing", c.status().label()),
        kv("outcome", outcome));
  }

  /** A request Tollgate answered itself without calling the upstream (404, 413, ...). */
  public void refused(String method, String path, int status, long totalNanos, String outcome) {
    if (!enabled) {
      return;
    }
    LOG.info("{} {} {} {} {}", kv("method", method), kv("path", path), kv("status", status),
        kv("total_ms", millis(totalNanos)), kv("outcome", outcome));
  }

  private static String millis(long nanos) {
    return String.format("%.3f", nanos / 1_000_000.0);
  }
}
