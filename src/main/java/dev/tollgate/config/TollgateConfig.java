package dev.tollgate.config;

import java.nio.file.Path;

/** The whole configuration, as loaded from {@code config/tollgate.yaml} plus environment. */
public record TollgateConfig(
    ServerConfig server,
    AdminConfig admin,
    UpstreamConfig upstream,
    Path dataDir,
    LoggingConfig logging,
    UsageConfig usage,
    AttributionConfig attribution,
    LedgerConfig ledger,
    MetricsConfig metrics,
    PricingConfig pricing) {

  public TollgateConfig {
    Validate.notNull(server, "server");
    Validate.notNull(admin, "admin");
    Validate.notNull(upstream, "upstream");
    Validate.notNull(dataDir, "data_dir");
    Validate.notNull(logging, "logging");
    Validate.notNull(usage, "usage");
    Validate.notNull(attribution, "attribution");
    Validate.notNull(ledger, "ledger");
    Validate.notNull(metrics, "metrics");
    Validate.notNull(pricing, "pricing");
    if (server.port() != 0 && server.port() == admin.port()) {
      throw new ConfigException("admin.port: must differ from server.port (" + server.port() + ")");
    }
  }
}
