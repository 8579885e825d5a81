/**
 * Prices: the effective-dated catalog ({@code config/prices.yaml}), model-name resolution, and the
 * exact-decimal cost of a call by component. Pure code: no Netty, no I/O outside the loader.
 */
package dev.tollgate.pricing;
