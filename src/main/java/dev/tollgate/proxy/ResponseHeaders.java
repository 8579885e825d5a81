package dev.tollgate.proxy;

import dev.tollgate.metering.CallIds;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * Turns the upstream's response head into the one the client gets: the same status and end-to-end
 * headers, with this hop's framing (length, or chunked when the upstream's was open-ended).
 */
public final class ResponseHeaders {
  /** Names the call in Tollgate's records ({@code GET /admin/calls}, the ledger, logs). */
  public static final AsciiString REQUEST_ID = AsciiString.cached("x-tollgate-request-id");

  private ResponseHeaders() {}

  /**
   * Gives a response Tollgate answers itself (401, 404, 408, 413, 503...) a request id of its own,
   * as relayed calls have, so a client's report of the error can be found in the access log.
   */
  public static String identify(HttpResponse response) {
    String id = CallIds.next(System.currentTimeMillis());
    response.headers().set(REQUEST_ID, id);
    return id;
  }

  static void forClient(
      HttpResponse response, HttpMethod method, boolean http10, boolean closeAfter) {
    HttpHeaders headers = response.headers();
    HopByHop.strip(headers);
    response.setProtocolVersion(http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
    if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH) && mayHaveBody(response, method)) {
      if (http10) {
        // No chunked encoding in HTTP/1.0: the end of the body is the end of the connection.
        closeAfter = true;
      } else {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    }
    if (closeAfter) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  private static boolean mayHaveBody(HttpResponse response, HttpMethod method) {
    int code = response.status().code();
    return !HttpMethod.HEAD.equals(method) && code >= 200 && code != 204 && code != 304;
  }
}
