package dev.tollgate.attribution;

/**
 * One line of {@code keys.yaml}: a virtual key (by the SHA-256 of its secret) or a passthrough
 * upstream key (by fingerprint), and the team, project and user its calls are charged to.
 *
 * @param name the key's name in reports
 * @param revoked a revoked virtual key is refused with 401
 */
public record KeyEntry(String name, String team, String project, String user, boolean revoked) {}
