package dev.tollgate.ledger;

import java.time.Instant;

/**
 * A model that calls named but the catalog could not price, as the ledger saw it.
 *
 * @param calls calls still recorded unpriced
 * @param inputTokens and outputTokens: their tokens as reported (input includes cached input)
 */
public record UnpricedModel(
    String model,
    long calls,
    long inputTokens,
    long outputTokens,
    Instant firstSeen,
    Instant lastSeen) {}
