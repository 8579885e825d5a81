package dev.tollgate.proxy;

import io.netty.channel.Channel;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;

/**
 * The clock of a channel's event loop, which its timers are scheduled by: the system's in
 * production, a test's own in an {@code EmbeddedChannel}, so timeouts and timings can be tested
 * without sleeping. Only differences of its readings mean anything.
 */
public final class LoopClock {
  private LoopClock() {}

  public static long nanoTime(Channel channel) {
    return channel.eventLoop() instanceof AbstractScheduledEventExecutor loop
        ? loop.ticker().nanoTime()
        : System.nanoTime();
  }
}
