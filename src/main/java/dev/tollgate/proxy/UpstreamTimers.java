package dev.tollgate.proxy;

import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.errors.Failure;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The upstream timeouts of one exchange: first byte (request sent → response head) and idle
 * (longest silence inside the body). One timer at a time, on the client's event loop; the idle
 * check reschedules itself rather than being reset on every read, which would cost a timer task
 * per chunk.
 */
final class UpstreamTimers {
  private final Channel client;
  private final UpstreamConfig config;
  private final BiConsumer<Failure, String> onTimeout;
  private ScheduledFuture<?> timer;
  private long lastReadNanos;
  private boolean paused; // reading is paused because the client is not writable, or gone

  UpstreamTimers(Channel client, UpstreamConfig config, BiConsumer<Failure, String> onTimeout) {
    this.client = client;
    this.config = config;
    this.onTimeout = onTimeout;
  }

  /** The request is on its way: the response head must arrive within the first-byte timeout. */
  void requestSent() {
    cancel();
    timer = schedule(() -> onTimeout.accept(Failure.UPSTREAM_FIRST_BYTE_TIMEOUT,
        "Upstream sent no response within " + config.firstByteTimeout().toMillis() + " ms"),
        config.firstByteTimeout().toNanos());
  }

  /** The head arrived: from now on the body must not go silent for longer than the idle timeout. */
  void headReceived() {
    cancel();
    read();
    timer = schedule(this::checkIdle, config.idleTimeout().toNanos());
  }

  /** Bytes arrived from the upstream (or reading resumed after a pause). */
  void read() {
    lastReadNanos = System.nanoTime();
  }

  long lastReadNanos() {
    return lastReadNanos;
  }

  /** True while the silence is the client's doing (not reading), which the upstream is not blamed for. */
  void paused(boolean paused) {
    this.paused = paused;
  }

  void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void checkIdle() {
    long limit = config.idleTimeout().toNanos();
    long idle = System.nanoTime() - lastReadNanos;
    if (paused || idle < limit) {
      timer = schedule(this::checkIdle, paused ? limit : limit - idle);
      return;
    }
    timer = null;
    onTimeout.accept(Failure.UPSTREAM_IDLE_TIMEOUT,
        "Upstream response stalled for more than " + config.idleTimeout().toMillis() + " ms");
  }

  private ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return client.eventLoop().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }
}
