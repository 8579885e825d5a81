package dev.tollgate.metering;

import dev.tollgate.config.ReloadingFile;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The current price catalog: the curated one built into the jar, with the local overrides file (if
 * one is configured) laid over it and reloaded when it changes. Calls never wait on a reload.
 */
public final class CatalogHolder implements AutoCloseable {
  private final PriceCatalog bundledForUpstream;
  private final ReloadingFile<PriceCatalog> overrides; // null: the bundled catalog alone

  /**
   * Loads the catalog now; a configured overrides file that is missing or invalid is a {@link
   * dev.tollgate.config.ConfigException}.
   */
  public CatalogHolder(Optional<Path> overridesFile, String upstreamHost, Duration interval) {
    PriceCatalog bundled = CatalogLoader.bundled();
    this.bundledForUpstream = bundled.forUpstream(upstreamHost);
    this.overrides =
        overridesFile
            .map(
                f ->
                    new ReloadingFile<>(
                        f,
                        "price catalog",
                        interval,
                        file ->
                            CatalogLoader.withOverrides(bundled, file).forUpstream(upstreamHost)))
            .orElse(null);
  }

  /** The catalog for the configured overrides, or the built-in one alone. */
  public static PriceCatalog load(Optional<Path> overridesFile, String upstreamHost) {
    PriceCatalog bundled = CatalogLoader.bundled();
    return overridesFile
        .map(f -> CatalogLoader.withOverrides(bundled, f))
        .orElse(bundled)
        .forUpstream(upstreamHost);
  }

  public PriceCatalog catalog() {
    return overrides == null ? bundledForUpstream : overrides.get();
  }

  @Override
  public void close() {
    if (overrides != null) {
      overrides.close();
    }
  }
}
