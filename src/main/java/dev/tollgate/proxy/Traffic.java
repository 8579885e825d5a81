package dev.tollgate.proxy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Calls in flight and whether the server is draining; shared by all event loops. */
public final class Traffic {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();

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
