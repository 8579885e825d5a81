package dev.tollgate.proxy;

import dev.tollgate.config.TollgateConfig;

/** What every exchange needs, shared across connections and event loops. */
public record ProxyContext(TollgateConfig config, UpstreamPool pool, Traffic traffic, AccessLog accessLog) {}
