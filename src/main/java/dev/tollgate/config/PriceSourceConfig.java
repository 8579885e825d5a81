package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * A price source Tollgate keeps in sync: it prices the models the curated catalog lacks.
 *
 * @param name names the source in price versions ({@code litellm:gpt-x@2026-12-01}) and storage
 * @param format {@code litellm}, {@code models_dev} or {@code tollgate}
 * @param url where to fetch it (http or https), or null when it is a local file
 * @param file the local file, or null when it is fetched
 * @param refresh how often it is fetched (or read) again
 */
public record PriceSourceConfig(String name, String format, URI url, Path file, Duration refresh) {
  public static final Set<String> FORMATS = Set.of("litellm", "models_dev", "tollgate");

  public PriceSourceConfig {
    Validate.notBlank(name, "pricing.sources[].name");
    if (!name.matches("[a-z0-9_-]{1,40}")) {
      throw new ConfigException(
          "pricing.sources[].name: lower-case letters, digits, - and _ only, got '" + name + "'");
    }
    format = format == null ? null : format.toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new ConfigException(
          "pricing.sources."
              + name
              + ".format: litellm, models_dev or tollgate, got '"
              + format
              + "'");
    }
    if ((url == null) == (file == null)) {
      throw new ConfigException("pricing.sources." + name + ".location: a file or an http(s) URL");
    }
    Validate.positive(refresh, "pricing.sources." + name + ".refresh");
  }

  /** Where it is read from, as the operator wrote it (for log lines and listings). */
  public String location() {
    return url != null ? url.toString() : file.toString();
  }
}
