package dev.tollgate.jobs;

import dev.tollgate.ledger.CallPartitions;
import dev.tollgate.ledger.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A partitioned PostgreSQL ledger's months made ahead ({@link CallPartitions#ensure}): daily, on
 * one replica. Each start makes them too; this keeps a replica that runs for months from writing
 * into the default partition.
 */
public final class PartitionsJob implements Job {
  static final Duration EVERY = Duration.ofDays(1);

  private final Database db;
  private final Clock clock;

  public PartitionsJob(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "partitions";
  }

  @Override
  public boolean due(Instant lastRun, Instant started, Instant now) {
    return Job.every(EVERY, lastRun, now);
  }

  @Override
  public Duration maxRun() {
    return Duration.ofMinutes(5);
  }

  @Override
  public String run() throws Exception {
    CallPartitions.ensure(db, clock.instant());
    return "{\"months_ahead\":" + CallPartitions.AHEAD + "}";
  }
}
