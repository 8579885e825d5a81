package dev.tollgate.proxy;

import dev.tollgate.errors.Failure;
import java.util.Map;

/**
 * A request the gate answers itself instead of forwarding.
 *
 * @param step where it was refused
 * @param failure the status and OpenAI error type it is answered with
 * @param message what the client is told
 * @param headers extra response headers (a rate limit's {@code retry-after}), or none
 * @param close the connection cannot go on after it (the request could not be read whole)
 */
record Refusal(
    GateStep step, Failure failure, String message, Map<String, String> headers, boolean close) {
  static Refusal of(GateStep step, Failure failure, String message) {
    return new Refusal(step, failure, message, Map.of(), false);
  }

  /** The same refusal, after which the connection is closed. */
  Refusal closing() {
    return new Refusal(step, failure, message, headers, true);
  }
}
