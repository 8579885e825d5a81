/**
 * Chargeback reports over the ledger: spend grouped by team, project, user, key, model, api, tier,
 * tag, day or month, with what-if repricing; rendered as JSON, CSV or a table.
 */
package dev.tollgate.report;
