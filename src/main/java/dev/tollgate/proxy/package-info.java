/**
 * The relay: frontend handler (client side), one {@link dev.tollgate.proxy.ProxyExchange} per call,
 * backend handler (upstream side) and the per-event-loop upstream connection pool.
 */
package dev.tollgate.proxy;
