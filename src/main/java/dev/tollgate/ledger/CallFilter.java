package dev.tollgate.ledger;

import java.time.Instant;

/**
 * Which recent calls to list: each field narrows the list, null leaves it open.
 *
 * @param from calls that started at or after this
 * @param to calls that started before this
 * @param session the turns of one WebSocket session
 * @param tier the tier the call was served (and priced) at
 * @param id one call, by its id ({@code x-tollgate-request-id})
 * @param before the page after a call: only calls older than this one (newest first, by start then
 *     id), or null for the first page
 */
public record CallFilter(
    String team,
    String model,
    String status,
    String api,
    Instant from,
    Instant to,
    String session,
    String project,
    String key,
    String tier,
    String id,
    Cursor before) {
  public static final CallFilter ALL =
      new CallFilter(null, null, null, null, null, null, null, null, null, null, null, null);

  /** A position in the newest-first list: a call's start and id. */
  public record Cursor(long startMs, String id) {
    /** {@code <start_ms>.<id>}, as pages hand it on. */
    public static Cursor parse(String text) {
      int dot = text.indexOf('.');
      if (dot <= 0 || dot == text.length() - 1) {
        throw new IllegalArgumentException("a page cursor is <start_ms>.<call id>");
      }
      return new Cursor(Long.parseLong(text.substring(0, dot)), text.substring(dot + 1));
    }

    @Override
    public String toString() {
      return startMs + "." + id;
    }
  }

  public CallFilter(
      String team,
      String model,
      String status,
      String api,
      Instant from,
      Instant to,
      String session) {
    this(team, model, status, api, from, to, session, null, null, null, null, null);
  }
}
