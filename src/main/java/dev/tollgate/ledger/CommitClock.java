package dev.tollgate.ledger;

import dev.tollgate.call.Call;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * When the ledger writer commits: within {@code ledger.batch_window} of the oldest call's answer,
 * not one window after it woke up. A call answered while a commit runs used to wait for that
 * commit, then a whole window, then its own commit: 165–260 ms at 500 calls/s against a promised
 * 100 ms. So the writer gathers calls only until half a window after the oldest one's answer, less
 * what recent commits took; the other half is the margin for a commit slower than the last ones and
 * for a busy machine's scheduling, and once a call in hand is that old the writer stops pausing for
 * the event loops ({@link #late}). Also records what the lag actually was ({@code
 * tollgate_ledger_commit_lag_seconds}).
 */
final class CommitClock {
  private final long windowMillis;
  private volatile long oldestInHandMillis; // the answer time of the batch in hand; 0 when none
  private long commitMillis; // a moving estimate of one commit's duration
  private volatile Timer lag; // set once metrics are bound

  CommitClock(Duration window) {
    this.windowMillis = window.toMillis();
  }

  /** How long to gather more calls before committing, given the batch's first call (nanos). */
  long sleepBeforeCommit(Call first) {
    long answered = first.end().toEpochMilli();
    oldestInHandMillis = answered;
    long due = answered + windowMillis / 2 - commitMillis;
    long sleep = Math.min(windowMillis / 2, due - System.currentTimeMillis());
    return Math.max(0, sleep) * 1_000_000;
  }

  /** True once the batch in hand is half a window old: it is committed flat out from then on. */
  boolean late() {
    long oldest = oldestInHandMillis;
    return oldest != 0 && System.currentTimeMillis() - oldest >= windowMillis / 2;
  }

  /** A batch was committed: its lag is known, and one commit's duration estimated again. */
  void committed(List<Call> batch, long startedMillis) {
    long now = System.currentTimeMillis();
    long lag = 0;
    for (Call c : batch) {
      lag = Math.max(lag, now - c.end().toEpochMilli());
    }
    Timer timer = this.lag;
    if (timer != null) {
      timer.record(lag, TimeUnit.MILLISECONDS);
    }
    // Half the last estimate, half this commit: quick to follow a slower disk, quick to forget.
    commitMillis = (commitMillis + Math.min(windowMillis, now - startedMillis)) / 2;
  }

  /** The batch in hand is done with (committed, or given up on). */
  void handed() {
    oldestInHandMillis = 0;
  }

  /** Seconds since the oldest call not yet committed was answered. */
  double oldestAgeSeconds(Call queueHead, boolean any) {
    if (!any) {
      return 0;
    }
    long oldest = oldestInHandMillis;
    if (oldest == 0 && queueHead != null) {
      oldest = queueHead.end().toEpochMilli();
    }
    return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest) / 1000.0;
  }

  /** Where each batch's lag is recorded. */
  void report(Timer timer) {
    this.lag = timer;
  }
}
