package dev.tollgate.budget;

import java.time.Instant;

/**
 * A budget's spend crossed one of its alert thresholds in a period (fired once across replicas).
 *
 * @param threshold percent of the limit
 * @param replica the replica that claimed and sends it
 */
public record Alert(
    Budget budget,
    Period.Window window,
    int threshold,
    long spentPico,
    Instant firedAt,
    String replica) {}
