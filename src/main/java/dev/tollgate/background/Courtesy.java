package dev.tollgate.background;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Makes a background thread give the CPU back every {@code slice} of work.
 *
 * <p>Why: on a 2-core machine the event loops, the client and the upstream take turns on the cores
 * with the background threads. The Linux scheduler does not preempt a running thread for a freshly
 * woken one until the running thread's slice ends, and it checks that only at the next timer tick
 * (4 ms at HZ=250); nor does an idle core pull the woken thread over when cores go idle as briefly
 * and often as they do under request/response ping-pong. `perf sched` showed exactly that: the
 * ledger writer binding a few hundred rows in one 4 ms run while the event loop (or the client it
 * was about to answer) waited, runnable, on the same core, and the other core sat idle. Sleeping
 * for a moment after every ~100 µs of background work bounds such a wait by the slice instead of
 * the tick, at the cost of one short sleep per slice; CPU use is unchanged.
 *
 * <p>A thread that has fallen behind (its queue backing up, as at saturation) stops pausing and
 * runs flat out: Tollgate never trades a recorded call for latency. Unprivileged processes cannot
 * raise a thread's priority back once lowered, which is why this is not done with nice or {@code
 * SCHED_IDLE}.
 *
 * <p>Not thread-safe: one instance per background thread.
 */
public final class Courtesy {
  /** Background work between pauses; a few ledger rows or a few dozen priced calls. */
  public static final long DEFAULT_SLICE_NANOS = 100_000;

  // A real sleep, not Thread.yield(): under EEVDF a thread that slept through its batch window has
  // lag to spend, so yield() hands the core straight back to it (seen in perf sched). A timed park
  // under a microsecond can return without sleeping at all.
  private static final long PAUSE_NANOS = 20_000;

  private final long sliceNanos;
  private final BooleanSupplier behind;
  private long sliceStart = System.nanoTime();
  private long pauses;

  /**
   * @param behind true while the thread's backlog is too long to afford pauses
   */
  public Courtesy(long sliceNanos, BooleanSupplier behind) {
    if (sliceNanos <= 0) {
      throw new IllegalArgumentException("slice must be positive: " + sliceNanos);
    }
    this.sliceNanos = sliceNanos;
    this.behind = behind;
  }

  public Courtesy(BooleanSupplier behind) {
    this(DEFAULT_SLICE_NANOS, behind);
  }

  /** Call between units of work: sleeps briefly once the current slice is used up. */
  public void pause() {
    long now = System.nanoTime();
    if (now - sliceStart >= sliceNanos) {
      if (!behind()) {
        LockSupport.parkNanos(PAUSE_NANOS);
        pauses++;
      }
      sliceStart = System.nanoTime();
    }
  }

  /** Whether the thread is behind, so should also skip other courtesies (e.g. smaller commits). */
  public boolean behind() {
    return behind.getAsBoolean();
  }

  /**
   * Starts a new slice, e.g. after the thread slept, so its first unit is not followed by a pause.
   */
  public void restart() {
    sliceStart = System.nanoTime();
  }

  /** How many times this thread gave way; for tests and diagnostics. */
  public long pauses() {
    return pauses;
  }
}
