package dev.tollgate.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1): never forwarded. */
final class HopByHop {
  private static final List<AsciiString> NAMES =
      List.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_AUTHENTICATE,
          HttpHeaderNames.PROXY_AUTHORIZATION,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TE,
          HttpHeaderNames.TRAILER,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.UPGRADE);

  private HopByHop() {}

  /** Removes the fixed hop-by-hop set and any header the Connection header names. */
  static void strip(HttpHeaders headers) {
    for (String listed : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String name : listed.split(",")) {
        String trimmed = name.trim();
        if (!trimmed.isEmpty()) {
          headers.remove(trimmed);
        }
      }
    }
    for (AsciiString name : NAMES) {
      headers.remove(name);
    }
  }
}
