package dev.tollgate.proxy;

import dev.tollgate.attribution.Attributor;
import dev.tollgate.budget.BudgetGate;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.metering.AccessLog;
import dev.tollgate.metering.Metering;
import dev.tollgate.telemetry.Tracing;

/**
 * What every exchange needs, shared across connections and event loops.
 *
 * @param sockets where WebSocket upgrades go, or null when they are refused
 * @param bodies the request-body bytes held, by holder
 * @param tracing decides which calls are traced, and traces refusals
 */
public record ProxyContext(
    TollgateConfig config,
    UpstreamSet upstreams,
    Traffic traffic,
    Metering metering,
    AccessLog accessLog,
    Attributor attributor,
    BudgetGate budgets,
    SocketHandoff sockets,
    BodyAllowance bodies,
    Tracing tracing) {}
