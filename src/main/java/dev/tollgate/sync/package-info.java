/**
 * Synced price sources (LiteLLM's map, models.dev, another Tollgate catalog): fetched and kept with
 * their history, they price the models the curated catalog lacks.
 */
package dev.tollgate.sync;
