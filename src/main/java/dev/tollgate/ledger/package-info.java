/**
 * The record of each call: what was asked, what was served, what it cost. Today an in-memory window
 * of recent calls; the durable SQLite/PostgreSQL ledger builds on the same record.
 */
package dev.tollgate.ledger;
