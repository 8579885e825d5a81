package dev.tollgate.ledger;

import java.time.Instant;

/**
 * Which recent calls to list: each field narrows the list, null leaves it open.
 *
 * @param from calls that started at or after this
 * @param to calls that started before this
 * @param session the turns of one WebSocket session
 */
public record CallFilter(
    String team,
    String model,
    String status,
    String api,
    Instant from,
    Instant to,
    String session) {
  public static final CallFilter ALL = new CallFilter(null, null, null, null, null, null, null);
}
