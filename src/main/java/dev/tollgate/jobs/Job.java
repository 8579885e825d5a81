package dev.tollgate.jobs;

import java.time.Duration;
import java.time.Instant;

/** A background job that must run on one replica at a time ({@link JobScheduler}). */
public interface Job {
  /** Its name in the {@code jobs} table and {@code /admin/jobs}. */
  String name();

  /**
   * Whether a run is due now, given when the last one started on any replica (null: never).
   *
   * @param started when this replica's scheduler started (for a first run shortly after start)
   */
  boolean due(Instant lastRun, Instant started, Instant now);

  /** The longest a run may take: the lease is held that long while it runs. */
  Duration maxRun();

  /** Runs it (blocking); returns its result as JSON for every replica to serve. */
  String run() throws Exception;

  /** A {@link #due} for a job run every {@code every}: never run yet, or that long since. */
  static boolean every(Duration every, Instant lastRun, Instant now) {
    return lastRun == null || !now.isBefore(lastRun.plus(every));
  }
}
