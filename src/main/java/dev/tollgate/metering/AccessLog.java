package dev.tollgate.metering;

import static net.logstash.logback.argument.StructuredArguments.kv;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.tollgate.background.Courtesy;
import dev.tollgate.call.Call;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.Timings;
import dev.tollgate.call.TokenKind;
import java.io.Flushable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per call on the {@code tollgate.access} logger: {@code key=value} pairs in text mode,
 * top-level fields in JSON mode (the same structured arguments feed both). Keys never appear.
 *
 * <p>Event loops only put a line's fields in a bounded queue; a logging thread formats and writes
 * them every 50 ms. Logging per call from the event loop would wake a logging thread per call,
 * which on a small machine costs more than the rest of the proxying.
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("tollgate.access");
  private static final int QUEUE = 65_536;

  private final boolean enabled;
  private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final ScheduledExecutorService writer;
  // Only the writer thread drains (and close(), once the writer has stopped). Behind = more than
  // one 50 ms drain's worth at 80,000 calls/s waiting.
  private final Courtesy courtesy = new Courtesy(() -> lines.size() > 4096);

  public AccessLog(boolean enabled) {
    this.enabled = enabled && LOG.isInfoEnabled();
    this.writer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tollgate-access-log");
              t.setDaemon(true);
              return t;
            });
    if (this.enabled) {
      writer.scheduleWithFixedDelay(this::drain, 50, 50, TimeUnit.MILLISECONDS);
    }
  }

  /** What one line says: a call that reached the relay, or a request Tollgate refused itself. */
  private sealed interface Line {}

  private record Relayed(Call call) implements Line {}

  private record Refused(
      String id, String method, String path, int status, long totalNanos, Outcome outcome)
      implements Line {}

  /** A call that reached the relay, with its tokens and cost. */
  public void log(Call call) {
    if (enabled) {
      offer(new Relayed(call));
    }
  }

  /**
   * A request Tollgate answered itself without calling the upstream (404, 413, ...).
   *
   * @param id the {@code x-tollgate-request-id} the response carried
   */
  public void refused(
      String id, String method, String path, int status, long totalNanos, Outcome outcome) {
    if (enabled) {
      offer(new Refused(id, method, path, status, totalNanos, outcome));
    }
  }

  /**
   * A WebSocket session's end: one line with the session id (the 101's request id), status 101, how
   * long it was open and how it ended; its billed turns have lines of their own.
   */
  public void socketClosed(String id, String path, long totalNanos, Outcome outcome) {
    refused(id, "GET", path, 101, totalNanos, outcome);
  }

  private void offer(Line line) {
    if (!lines.offer(line)) {
      dropped.incrementAndGet(); // reported by the writer, never blocking the caller
    }
  }

  private void drain() {
    List<Line> batch = new ArrayList<>();
    lines.drainTo(batch);
    courtesy.restart();
    for (Line line : batch) {
      courtesy.pause();
      if (line instanceof Refused f) {
        LOG.info(
            "{} {} {} {} {} {}",
            kv("id", f.id()),
            kv("method", f.method()),
            kv("path", f.path()),
            kv("status", f.status()),
            kv("total_ms", LogNumber.millis(f.totalNanos())),
            kv("outcome", f.outcome().code()));
      } else if (line instanceof Relayed r) {
        write(r.call());
      }
    }
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      LOG.warn("{} access-log lines dropped: the log could not keep up", lost);
    }
    flushAppenders();
  }

  /** The access line's token fields: one per kind, named as the report's CSV columns are. */
  private static final String[] TOKEN_FIELDS =
      Arrays.stream(TokenKind.values()).map(k -> k.label() + "_tokens").toArray(String[]::new);

  private static final String FORMAT = "{} ".repeat(11 + TOKEN_FIELDS.length).trim();

  private static void write(Call c) {
    Timings t = c.relay().timings();
    TokenKind[] kinds = TokenKind.values();
    Object[] fields = new Object[11 + kinds.length];
    int i = 0;
    fields[i++] = kv("id", c.id());
    fields[i++] = kv("method", c.asked().method());
    fields[i++] = kv("path", c.asked().path());
    fields[i++] = kv("status", c.relay().status());
    fields[i++] = kv("model", c.model() == null ? "-" : c.model());
    fields[i++] = kv("team", c.attribution().team());
    fields[i++] = kv("upstream_ms", LogNumber.millis(t.upstreamNanos()));
    fields[i++] = kv("total_ms", LogNumber.millis(t.totalNanos()));
    // Disjoint kinds, as in reports and metrics: input excludes cached input and cache writes,
    // output excludes reasoning; the kinds add up to the call's tokens.
    for (TokenKind k : kinds) {
      fields[i++] = kv(TOKEN_FIELDS[k.ordinal()], k.of(c.usage()));
    }
    fields[i++] = kv("cost_usd", LogNumber.of(c.cost().total()));
    fields[i++] = kv("pricing", c.status().label());
    fields[i] = kv("outcome", c.relay().outcome().code());
    LOG.info(FORMAT, fields);
  }

  /** Buffered appenders (see {@link BatchedStdoutAppender}) write the batch now, in one go. */
  private static void flushAppenders() {
    if (!(LOG instanceof ch.qos.logback.classic.Logger logger)) {
      return;
    }
    for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof Flushable f) {
        try {
          f.flush();
        } catch (IOException e) {
          // stdout closed (the process is going away); nothing better to do with the lines
        }
      }
    }
  }

  /** Nanoseconds as milliseconds with three decimals, e.g. "12.345" (String.format costs ~1 µs). */
  static String millis(long nanos) {
    long micros = Math.round(nanos / 1_000.0);
    long frac = Math.abs(micros % 1_000);
    String sign = micros < 0 && micros > -1_000 ? "-" : "";
    return sign + micros / 1_000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
  }

  /** Writes what is queued, then stops. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (enabled) {
      drain();
    }
  }
}
