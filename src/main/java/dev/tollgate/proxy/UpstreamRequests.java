package dev.tollgate.proxy;

import dev.tollgate.config.NamedUpstream;
import dev.tollgate.config.UpstreamConfig;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Set;

/**
 * Rewrites a client's request head, in place, into the one sent upstream. The body is untouched.
 */
final class UpstreamRequests {
  private static final Set<HttpMethod> BODY_METHODS =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

  private UpstreamRequests() {}

  /**
   * @param metered the call's usage is read from its response, which therefore must arrive
   *     uncompressed (any client accepts identity; the hop to the upstream carries the cost)
   */
  static void rewrite(
      FullHttpRequest request, String target, NamedUpstream named, boolean metered) {
    UpstreamConfig upstream = named.config();
    HttpHeaders headers = request.headers();
    HopByHop.strip(headers);
    headers.remove(HttpHeaderNames.EXPECT); // answered by Tollgate itself; the body is all here
    headers.set(HttpHeaderNames.HOST, upstream.hostHeader());
    // The body was read whole (it is bounded by server.max_request_body), so its length is known.
    int length = request.content().readableBytes();
    if (length == 0 && !BODY_METHODS.contains(request.method())) {
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
    } else {
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    }
    if (metered) {
      headers.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
    }
    // Tollgate's own key, in the header style the provider expects; the client's credential (a
    // virtual key, or a key for another provider) never goes with it.
    if (upstream.apiKey().isPresent()) {
      Credentials.stripAll(headers);
      headers.set(named.keyHeader(), named.keyValue(upstream.apiKey().get()));
    }
    request.setUri(target);
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  /**
   * What one attempt writes upstream: the rewritten request over a retained duplicate of its body,
   * so a retry can send it again. The head is shared, not copied ({@code retainedDuplicate()}
   * copies every header per call): nothing changes it once {@link #rewrite} is done, and the
   * encoder only reads it.
   */
  static FullHttpRequest attempt(FullHttpRequest rewritten) {
    return new DefaultFullHttpRequest(
        rewritten.protocolVersion(),
        rewritten.method(),
        rewritten.uri(),
        rewritten.content().retainedDuplicate(),
        rewritten.headers(),
        rewritten.trailingHeaders());
  }
}
