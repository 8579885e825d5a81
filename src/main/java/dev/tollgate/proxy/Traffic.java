package dev.tollgate.proxy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Calls in flight and whether the server is draining; shared by all event loops. */
public final class Traffic {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final long maxBodyBytes;

  /** Unbounded request-body buffering (tests of other things). */
  public Traffic() {
    this(Long.MAX_VALUE);
  }

  /**
   * @param maxBodyBytes request-body bytes all connections together may be receiving at once
   */
  public Traffic(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Reserves room to receive {@code bytes} of request body; false when there is none. */
  boolean reserveBody(long bytes) {
    long now = bodyBytes.addAndGet(bytes);
    if (now > maxBodyBytes) {
      bodyBytes.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  void releaseBody(long bytes) {
    bodyBytes.addAndGet(-bytes);
  }

  /** Request-body bytes being received right now, across all connections. */
  public long bodyBytesInFlight() {
    return bodyBytes.get();
  }

  /**
   * Counts a call in, unless draining has begun: then nothing may be forwarded, since the drain
   * only waits for the calls it can see. Counting first and checking second closes the window in
   * which a call could slip past a drain that had just found nothing in flight.
   */
  boolean tryStart() {
    inFlight.incrementAndGet();
    if (draining.get()) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  void finished() {
    inFlight.decrementAndGet();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public boolean draining() {
    return draining.get();
  }

  public void startDraining() {
    draining.set(true);
  }
}
