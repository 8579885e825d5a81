/**
 * How Tollgate's background threads (metering, access log, ledger writer) share a small machine
 * with the event loops without delaying them.
 */
package dev.tollgate.background;
