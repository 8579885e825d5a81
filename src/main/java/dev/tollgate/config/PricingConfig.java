package dev.tollgate.config;

import java.time.Duration;

/**
 * What Tollgate does about calls it could not price when they were made.
 *
 * @param autoReprice reprice recent unpriced calls whenever the catalog changes (and at start), so
 *     a price added late corrects the calls made before it; off leaves it to {@code tollgate
 *     reprice} and {@code POST /admin/reprice}
 * @param repriceWindow how far back the automatic repricing looks
 */
public record PricingConfig(boolean autoReprice, Duration repriceWindow) {
  public PricingConfig {
    Validate.positive(repriceWindow, "pricing.reprice_window");
    if (repriceWindow.toDays() > 3660) {
      throw new ConfigException("pricing.reprice_window: at most 3660d, got " + repriceWindow);
    }
  }
}
