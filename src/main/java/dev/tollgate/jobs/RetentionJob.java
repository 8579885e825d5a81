package dev.tollgate.jobs;

import dev.tollgate.ledger.Retention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's retention as a job: hourly, on one replica, the first time soon after start. Every
 * replica deleting the same rows at once only made them wait on each other's locks.
 */
public final class RetentionJob implements Job {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  static final Duration EVERY = Duration.ofHours(1);

  private final Retention retention;
  private final Clock clock;

  public RetentionJob(Retention retention, Clock clock) {
    this.retention = retention;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "retention";
  }

  @Override
  public boolean due(Instant lastRun, Instant started, Instant now) {
    return Job.every(EVERY, lastRun, now);
  }

  @Override
  public Duration maxRun() {
    return Duration.ofMinutes(30);
  }

  @Override
  public String run() throws Exception {
    long n = retention.deleteExpired(clock.instant());
    if (n > 0) {
      LOG.info("Ledger retention: deleted {} call rows older than {} days", n, retention.days());
    }
    return "{\"deleted\":" + n + ",\"older_than_days\":" + retention.days() + "}";
  }
}
