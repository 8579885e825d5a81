/**
 * Reconciliation: the provider's own bill (OpenAI's organization Costs and Usage APIs) compared
 * with the ledger, per day and model, so a gap is found the day after, not when finance compares
 * invoices weeks later.
 */
package dev.tollgate.reconcile;
