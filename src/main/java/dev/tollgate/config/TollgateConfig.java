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
    PricingConfig pricing,
    AuthConfig auth,
    RoutingConfig routing,
    ReconcileConfig reconcile,
    BudgetsConfig budgets,
    WebSocketConfig websocket,
    JobsConfig jobs,
    TelemetryConfig telemetry) {

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
    Validate.notNull(auth, "auth");
    Validate.notNull(budgets, "budgets");
    Validate.notNull(routing, "routing");
    Validate.notNull(reconcile, "reconcile");
    Validate.notNull(websocket, "websocket");
    Validate.notNull(telemetry, "telemetry");
    for (NamedUpstream u : routing.upstreams().values()) {
      if (!u.name().equals(NamedUpstream.DEFAULT)
          && !auth.virtualKeysOnly()
          && u.config().apiKey().isPresent()
          && !auth.allowSharedKey()) {
        throw new ConfigException(
            "upstreams."
                + u.name()
                + ".api_key: in auth.mode passthrough every caller would spend this key; set"
                + " auth.mode: virtual_keys, or auth.allow_shared_key: true to accept that");
      }
    }
    if (auth.virtualKeysOnly() && upstream.apiKey().isEmpty()) {
      throw new ConfigException(
          "auth.mode: virtual_keys needs upstream.api_key (or upstream.api_key_env): a Tollgate key"
              + " never leaves Tollgate, so calls are sent upstream with Tollgate's own key");
    }
    if (!auth.virtualKeysOnly() && upstream.apiKey().isPresent() && !auth.allowSharedKey()) {
      throw new ConfigException(
          "upstream.api_key: in auth.mode passthrough every caller, with a Tollgate key or none,"
              + " would spend this key; set auth.mode: virtual_keys, or auth.allow_shared_key: true"
              + " to accept that");
    }
    if (server.port() != 0 && server.port() == admin.port()) {
      throw new ConfigException("admin.port: must differ from server.port (" + server.port() + ")");
    }
  }
}
