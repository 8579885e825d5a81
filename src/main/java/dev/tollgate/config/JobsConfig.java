package dev.tollgate.config;

import java.time.Duration;

/**
 * Background jobs run on one replica at a time ({@code jobs:}).
 *
 * @param tick how often each replica renews its leases and checks what is due
 * @param lease how long a lease lasts unrenewed: a dead replica's jobs move within it (+ a tick)
 */
public record JobsConfig(Duration tick, Duration lease) {
  public static final JobsConfig DEFAULT =
      new JobsConfig(Duration.ofSeconds(5), Duration.ofSeconds(30));

  public JobsConfig {
    Validate.positive(tick, "jobs.tick");
    Validate.positive(lease, "jobs.lease");
    if (lease.compareTo(tick.multipliedBy(2)) < 0) {
      throw new ConfigException(
          "jobs.lease: at least twice jobs.tick (" + tick + "), or a live replica loses its jobs");
    }
  }

  static JobsConfig read(Section s) {
    return new JobsConfig(s.duration("tick", DEFAULT.tick()), s.duration("lease", DEFAULT.lease()));
  }
}
