package dev.tollgate.config;

/**
 * How many request-body bytes Tollgate holds at once, counted as they are actually received (never
 * by a declared length) and given back once the call is sent or refused. Each level caps one kind
 * of holder, so no kind can take the room of another: an unauthenticated caller cannot deny one
 * that presented a key Tollgate knows.
 *
 * @param total all connections together ({@code server.max_buffered_request_bytes})
 * @param perConnection one connection, pipelined requests included ({@code
 *     server.max_connection_request_bytes})
 * @param perKey one key, over all its connections ({@code server.max_key_request_bytes})
 * @param unauthenticated all callers without a key Tollgate knows (no key, or a passthrough key
 *     {@code keys.yaml} does not map) together ({@code server.max_unauthenticated_request_bytes})
 */
public record BufferLimits(long total, long perConnection, long perKey, long unauthenticated) {
  /** No limits (tests of other things). */
  public static final BufferLimits NONE =
      new BufferLimits(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

  /** Each level must fit the largest body, or a body of that size could never be received. */
  static BufferLimits checked(
      long maxRequestBody, long total, long perConnection, long perKey, long unauthenticated) {
    atLeast(total, maxRequestBody, "server.max_buffered_request_bytes");
    atLeast(perConnection, maxRequestBody, "server.max_connection_request_bytes");
    atLeast(perKey, maxRequestBody, "server.max_key_request_bytes");
    atLeast(unauthenticated, maxRequestBody, "server.max_unauthenticated_request_bytes");
    if (unauthenticated > total) {
      throw new ConfigException(
          "server.max_unauthenticated_request_bytes: must not exceed"
              + " server.max_buffered_request_bytes ("
              + total
              + ")");
    }
    return new BufferLimits(total, perConnection, perKey, unauthenticated);
  }

  private static void atLeast(long value, long maxRequestBody, String key) {
    if (value < maxRequestBody) {
      throw new ConfigException(
          key
              + ": must be at least server.max_request_body ("
              + maxRequestBody
              + "), or no body of the largest size could ever be received");
    }
  }
}
