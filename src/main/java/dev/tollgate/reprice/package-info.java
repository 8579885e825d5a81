/**
 * Repricing: calls recorded {@code unpriced} (or estimated for a missing tier or price version)
 * priced again, at the prices in effect at each call's own time, once the catalog knows them.
 */
package dev.tollgate.reprice;
