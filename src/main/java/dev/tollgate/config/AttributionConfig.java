package dev.tollgate.config;

import java.nio.file.Path;

/**
 * Attribution.
 *
 * @param keysFile virtual keys and passthrough-key mappings (hashes only), reloaded on change
 * @param teamHeader (and the others) request headers that name the dimensions; stripped upstream
 */
public record AttributionConfig(
    Path keysFile, String teamHeader, String projectHeader, String userHeader, String tagsHeader) {
  public AttributionConfig {
    Validate.notNull(keysFile, "attribution.keys_file");
    Validate.notBlank(teamHeader, "attribution.team_header");
    Validate.notBlank(projectHeader, "attribution.project_header");
    Validate.notBlank(userHeader, "attribution.user_header");
    Validate.notBlank(tagsHeader, "attribution.tags_header");
  }
}
