package dev.tollgate.proxy;

import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.errors.Failure;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The upstream timeouts of one exchange: first byte (request sent → response head) and idle
 * (longest silence inside the body). One timer for both, on the client's event loop, scheduled when
 * the request is sent and cancelled when the call ends: it fires at the sooner of the limits still
 * open and re-arms itself for what is left, rather than being reset on every read (a timer task per
 * chunk) or replaced when the head arrives (a second schedule and cancel per call, ~1.5% of the
 * event loop at 256 connections). Scheduling at most {@code idle} ahead while the head is awaited
 * keeps the idle deadline exact when the head does come.
 */
final class UpstreamTimers {
  private final Channel client;
  private final UpstreamConfig config;
  private final BiConsumer<Failure, String> onTimeout;
  private final Runnable check = this::check;
  private ScheduledFuture<?> timer;
  private long sentNanos;
  private boolean headSeen;
  private long lastReadNanos;
  private boolean paused; // reading is paused because the client is not writable, or gone

  UpstreamTimers(Channel client, UpstreamConfig config, BiConsumer<Failure, String> onTimeout) {
    this.client = client;
    this.config = config;
    this.onTimeout = onTimeout;
  }

  /**
   * The request went out at {@code sentNanos}: the head must arrive within the first-byte timeout.
   */
  void requestSent(long sentNanos) {
    cancel();
    this.sentNanos = sentNanos;
    headSeen = false;
    timer = schedule(Math.min(config.firstByteTimeout().toNanos(), config.idleTimeout().toNanos()));
  }

  /** The head arrived: from now on the body must not go silent for longer than the idle timeout. */
  void headReceived() {
    read();
    headSeen = true;
    if (timer == null) {
      timer = schedule(config.idleTimeout().toNanos());
    }
  }

  /** Bytes arrived from the upstream (or reading resumed after a pause). */
  void read() {
    lastReadNanos = LoopClock.nanoTime(client);
  }

  long lastReadNanos() {
    return lastReadNanos;
  }

  /**
   * True while the silence is the client's doing (not reading), which the upstream is not blamed
   * for.
   */
  void paused(boolean paused) {
    this.paused = paused;
  }

  void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void check() {
    long now = LoopClock.nanoTime(client);
    long idleLimit = config.idleTimeout().toNanos();
    if (!headSeen) {
      long left = config.firstByteTimeout().toNanos() - (now - sentNanos);
      if (left > 0) {
        timer = schedule(Math.min(left, idleLimit));
        return;
      }
      timer = null;
      onTimeout.accept(
          Failure.UPSTREAM_FIRST_BYTE_TIMEOUT,
          "Upstream sent no response within " + config.firstByteTimeout().toMillis() + " ms");
      return;
    }
    long idle = now - lastReadNanos;
    if (paused || idle < idleLimit) {
      timer = schedule(paused ? idleLimit : idleLimit - idle);
      return;
    }
    timer = null;
    onTimeout.accept(
        Failure.UPSTREAM_IDLE_TIMEOUT,
        "Upstream response stalled for more than " + config.idleTimeout().toMillis() + " ms");
  }

  private ScheduledFuture<?> schedule(long nanos) {
    return client.eventLoop().schedule(check, nanos, TimeUnit.NANOSECONDS);
  }
}
