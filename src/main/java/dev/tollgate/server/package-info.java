/**
 * Listeners and lifecycle: the proxy and admin ports, their pipelines, readiness and the SIGTERM
 * drain.
 */
package dev.tollgate.server;
