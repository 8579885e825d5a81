package dev.tollgate.config;

import java.nio.file.Path;

/**
 * Attribution.
 *
 * @param keysFile virtual keys and passthrough-key mappings (hashes only), reloaded on change
 * @param teamHeader (and the others) request headers that name the dimensions; stripped upstream
 */
public record AttributionConfig(
    Path keysFile,
    String teamHeader,
    String projectHeader,
    String userHeader,
    String tagsHeader,
    java.time.Duration keysSyncInterval) {
  public static final java.time.Duration DEFAULT_KEYS_SYNC = java.time.Duration.ofSeconds(1);

  public AttributionConfig(
      Path keysFile,
      String teamHeader,
      String projectHeader,
      String userHeader,
      String tagsHeader) {
    this(keysFile, teamHeader, projectHeader, userHeader, tagsHeader, DEFAULT_KEYS_SYNC);
  }

  public AttributionConfig {
    Validate.positive(keysSyncInterval, "attribution.keys_sync_interval");
    Validate.notNull(keysFile, "attribution.keys_file");
    Validate.notBlank(teamHeader, "attribution.team_header");
    Validate.notBlank(projectHeader, "attribution.project_header");
    Validate.notBlank(userHeader, "attribution.user_header");
    Validate.notBlank(tagsHeader, "attribution.tags_header");
  }
}
