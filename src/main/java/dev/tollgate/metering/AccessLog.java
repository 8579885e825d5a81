package dev.tollgate.metering;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.tollgate.background.Courtesy;
import dev.tollgate.call.Call;
import dev.tollgate.call.Outcome;
import java.io.Flushable;
import java.io.IOException;
import java.util.ArrayList;
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
 * top-level fields in JSON mode (one {@link AccessLine} feeds both). Keys never appear.
 *
 * <p>Event loops only put a line's fields in a bounded queue; a logging thread formats and writes
 * them every 50 ms. Logging per call from the event loop would wake a logging thread per call,
 * which on a small machine costs more than the rest of the proxying.
 */
public final class AccessLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("tollgate.access");
  private static final int QUEUE = 65_536;

  private final boolean enabled;
  private final BlockingQueue<AccessLine> lines = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final ScheduledExecutorService writer;
  // Only the writer thread drains (and close(), once the writer has stopped). Behind = more than
  // one 50 ms drain's worth at 80,000 calls/s waiting.
  private final Courtesy courtesy = new Courtesy(() -> lines.size() > 4096);
  // Used by the writer thread only (and close(), once the writer has stopped).
  private final AccessFields.Text text = new AccessFields.Text();

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

  /** A call that reached the relay, with its tokens and cost. */
  public void log(Call call) {
    if (enabled) {
      offer(new AccessLine.Relayed(call));
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
      offer(new AccessLine.Refused(id, method, path, status, totalNanos, outcome));
    }
  }

  /**
   * A WebSocket session's end: one line with the session id (the 101's request id), status 101, how
   * long it was open and how it ended; its billed turns have lines of their own.
   */
  public void socketClosed(String id, String path, long totalNanos, Outcome outcome) {
    refused(id, "GET", path, 101, totalNanos, outcome);
  }

  private void offer(AccessLine line) {
    if (!lines.offer(line)) {
      dropped.incrementAndGet(); // reported by the writer, never blocking the caller
    }
  }

  private void drain() {
    List<AccessLine> batch = new ArrayList<>();
    lines.drainTo(batch);
    courtesy.restart();
    for (AccessLine line : batch) {
      courtesy.pause();
      // The message is the text line; the marker carries the same fields to a JSON encoder. No
      // arguments: nothing in a line (a path with "{}" in it) is read as a format.
      LOG.info(new AccessFields.Marker(line), text.format(line));
    }
    long lost = dropped.getAndSet(0);
    if (lost > 0) {
      LOG.warn("{} access-log lines dropped: the log could not keep up", lost);
    }
    flushAppenders();
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
