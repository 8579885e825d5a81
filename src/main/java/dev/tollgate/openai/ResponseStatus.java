package dev.tollgate.openai;

import java.util.Set;

/**
 * The Responses API's statuses, defined once: a response in a terminal status has its final usage
 * (billed once, at the first terminal status seen); a pending one (a background response still
 * queued or running) is billed later, when its completion is read.
 */
public final class ResponseStatus {
  private static final Set<String> TERMINAL =
      Set.of("completed", "incomplete", "failed", "cancelled");
  private static final Set<String> PENDING = Set.of("queued", "in_progress");
  private static final String EVENT_PREFIX = "response.";

  private ResponseStatus() {}

  /** True for a status after which the response's usage no longer changes. */
  public static boolean terminal(String status) {
    return status != null && TERMINAL.contains(status);
  }

  /** True for a background response that has not finished. */
  public static boolean pending(String status) {
    return status != null && PENDING.contains(status);
  }

  /** True for a stream event that carries a finished response ({@code response.completed}, ...). */
  public static boolean terminalEvent(String eventType) {
    return eventType != null
        && eventType.startsWith(EVENT_PREFIX)
        && terminal(eventType.substring(EVENT_PREFIX.length()));
  }
}
