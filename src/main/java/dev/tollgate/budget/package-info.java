/**
 * Budgets: what a team, project, key, end user or tag may spend per period, enforced before a call
 * goes upstream by reserving its worst-case cost and settling to the real one. Netty-free: the
 * proxy asks {@link dev.tollgate.budget.BudgetGate} and the ledger stores what replicas share.
 */
package dev.tollgate.budget;
