/**
 * Turns what the proxy saw of a call (request summary, response facts, timings) into a priced
 * {@link dev.tollgate.call.Call}: estimation when usage is missing, once-per-response billing,
 * catalog reloads.
 */
package dev.tollgate.metering;
