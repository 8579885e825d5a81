package dev.tollgate.proxy;

import dev.tollgate.attribution.Attributor;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.config.NamedUpstream;
import dev.tollgate.openai.RequestSummary;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * Where the frontend hands a WebSocket upgrade once it is routed, attributed and admitted (the
 * {@code websocket} package carries it from there). Defined here, implemented there, so the relay
 * does not depend on what it hands over to.
 */
public interface SocketHandoff {
  /**
   * Takes over the client connection: {@code request} is the upgrade as it goes upstream (head
   * rewritten for that upstream, hop-by-hop headers gone) and is released by the taker.
   */
  void open(ChannelHandlerContext ctx, FullHttpRequest request, Opened call);

  /**
   * An admitted upgrade.
   *
   * @param asked the session as a call: its id is the session id
   * @param upstream where it goes
   * @param pool that upstream's connections (a socket takes one of its own, not a pooled one)
   * @param startNanos {@link LoopClock#nanoTime} when the upgrade arrived
   * @param key the key it was opened with: asked again while it is open, so a revoked or expired
   *     key's socket is closed
   */
  record Opened(
      Call.Request asked,
      NamedUpstream upstream,
      Upstreams pool,
      long startNanos,
      Attributor.Authenticated key) {}

  /**
   * True for a WebSocket upgrade request (RFC 6455 §4.1: a GET with {@code Upgrade: websocket}).
   */
  static boolean isUpgrade(HttpRequest request) {
    return request.method().equals(HttpMethod.GET)
        && request
            .headers()
            .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  /** The API a socket on {@code path} speaks, or null where Tollgate carries no sockets. */
  static Api api(Route route) {
    if (route.provider() != null) {
      return null;
    }
    return switch (route.path()) {
      case "/v1/responses" -> Api.RESPONSES;
      case "/v1/realtime" -> Api.REALTIME;
      default -> null;
    };
  }

  /** A Realtime socket names its model in the query ({@code ?model=gpt-realtime}): route by it. */
  static RequestSummary summary(String uri) {
    List<String> model = new QueryStringDecoder(uri).parameters().get("model");
    String m = model == null || model.isEmpty() ? null : model.get(0);
    return new RequestSummary(m, true, null, null, -1);
  }
}
