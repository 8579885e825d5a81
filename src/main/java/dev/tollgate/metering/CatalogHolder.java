package dev.tollgate.metering;

import dev.tollgate.config.ReloadingFile;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import java.nio.file.Path;
import java.time.Duration;

/** The current price catalog, reloaded when its file changes; calls never wait on a reload. */
public final class CatalogHolder implements AutoCloseable {
  private final ReloadingFile<PriceCatalog> file;

  /**
   * Loads the catalog now; a missing or invalid file is a {@link
   * dev.tollgate.config.ConfigException}.
   */
  public CatalogHolder(Path file, String upstreamHost, Duration interval) {
    this.file =
        new ReloadingFile<>(
            file, "price catalog", interval, f -> CatalogLoader.load(f).forUpstream(upstreamHost));
  }

  public PriceCatalog catalog() {
    return file.get();
  }

  @Override
  public void close() {
    file.close();
  }
}
