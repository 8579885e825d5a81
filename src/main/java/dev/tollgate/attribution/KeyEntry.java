package dev.tollgate.attribution;

import java.time.Instant;

/**
 * One entry of {@code keys.yaml}: a virtual key (by the SHA-256 of its secret) or a passthrough
 * upstream key (by fingerprint), and the team, project and user its calls are charged to.
 *
 * @param name the key's name in reports
 * @param revoked a revoked virtual key is refused with 401
 * @param created the day it was issued, as written (informational), or null
 * @param expires from this instant on a virtual key is refused with 401; null = never
 * @param virtual a Tollgate key ({@code sha256}); false for a passthrough key ({@code fingerprint})
 */
public record KeyEntry(
    String name,
    String team,
    String project,
    String user,
    boolean revoked,
    String created,
    Instant expires,
    boolean virtual) {

  public boolean expiredAt(Instant now) {
    return expires != null && !now.isBefore(expires);
  }
}
