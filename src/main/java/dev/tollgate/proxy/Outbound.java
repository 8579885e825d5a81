package dev.tollgate.proxy;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.config.NamedUpstream;
import dev.tollgate.config.RoutingConfig;
import dev.tollgate.errors.Failure;
import dev.tollgate.openai.ModelRewrite;
import dev.tollgate.openai.RequestSummary;
import dev.tollgate.openai.StreamUsageInjection;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Turns an admitted request into what is sent upstream: which upstream (by the body's model), the
 * body edits Tollgate makes (a route's prefix removed from the model; {@code include_usage} asked
 * for), and the head rewritten for that upstream. Either a plan or a refusal.
 *
 * @param request the request to send (a new one when the body was edited; the old one released)
 * @param upstream where it goes
 * @param injectedUsage Tollgate added {@code include_usage}
 * @param failure why it cannot be sent, or null
 */
record Outbound(
    FullHttpRequest request,
    NamedUpstream upstream,
    boolean injectedUsage,
    Failure failure,
    String message) {

  static Outbound plan(
      ProxyContext context,
      FullHttpRequest request,
      Route route,
      Api api,
      RequestSummary summary,
      Attribution who) {
    RoutingConfig routing = context.config().routing();
    if (route.provider() != null) {
      return nativeApi(context, request, route, api, summary, who);
    }
    RoutingConfig.Routed routed = routing.route(summary.model());
    if (routed == null) {
      return refuse(
          request,
          Failure.MODEL_NOT_ROUTED,
          "Model '"
              + summary.model()
              + "' is not routed to any upstream (routes, unmatched: reject)");
    }
    NamedUpstream upstream = routed.upstream();
    if (routed.model() != null) {
      byte[] body = ModelRewrite.apply(ByteBufUtil.getBytes(request.content()), routed.model());
      if (body != null) {
        request = replace(request, body);
      }
    }
    String target =
        upstream.name().equals(NamedUpstream.DEFAULT)
            ? route.target()
            : upstream.config().basePath()
                + route.target().substring(routing.defaultUpstream().config().basePath().length());
    return send(context, request, upstream, target, api, summary, who);
  }

  /** A provider's own API: its first upstream of that kind, the path as the client sent it. */
  private static Outbound nativeApi(
      ProxyContext context,
      FullHttpRequest request,
      Route route,
      Api api,
      RequestSummary summary,
      Attribution who) {
    NamedUpstream upstream = context.config().routing().firstOf(route.provider());
    if (upstream == null) {
      return refuse(
          request,
          Failure.NOT_FOUND,
          "No upstream with provider: "
              + route.provider().label()
              + " is configured for "
              + route.path()
              + " (see README, Several providers)");
    }
    return send(
        context,
        request,
        upstream,
        upstream.config().basePath() + route.target(),
        api,
        summary,
        who);
  }

  /**
   * The part every route shares once the upstream and its request-target are known: a virtual key's
   * check, a streamed chat's request for usage (OpenAI's and Azure's report it only when asked),
   * and the head rewritten for that upstream.
   */
  private static Outbound send(
      ProxyContext context,
      FullHttpRequest request,
      NamedUpstream upstream,
      String target,
      Api api,
      RequestSummary summary,
      Attribution who) {
    if (who.virtualKey() && upstream.config().apiKey().isEmpty()) {
      // A virtual key never leaves Tollgate, so without a key of our own there is nothing to send.
      return refuse(
          request,
          Failure.NO_UPSTREAM_KEY,
          "Tollgate virtual keys need "
              + (upstream.name().equals(NamedUpstream.DEFAULT)
                  ? "upstream.api_key (or upstream.api_key_env)"
                  : "upstreams." + upstream.name() + ".api_key (or api_key_env)")
              + " to be configured");
    }
    FullHttpRequest asked = request;
    request = askForUsage(context, request, api, summary);
    UpstreamRequests.rewrite(request, target, upstream, api != Api.OTHER);
    return new Outbound(request, upstream, request != asked, null, null);
  }

  boolean refused() {
    return failure != null;
  }

  private static Outbound refuse(FullHttpRequest request, Failure failure, String message) {
    return new Outbound(request, null, false, failure, message);
  }

  /**
   * A streamed chat request made to ask for usage (a new request; the old one released), or the
   * same request when it already asks or is not a streamed chat.
   */
  private static FullHttpRequest askForUsage(
      ProxyContext context, FullHttpRequest request, Api api, RequestSummary summary) {
    if (api != Api.CHAT || !summary.stream() || !context.config().usage().injectStreamUsage()) {
      return request;
    }
    StreamUsageInjection.Result r =
        StreamUsageInjection.apply(ByteBufUtil.getBytes(request.content()));
    return r.injected() ? replace(request, r.body()) : request;
  }

  private static FullHttpRequest replace(FullHttpRequest request, byte[] body) {
    FullHttpRequest rewritten = request.replace(Unpooled.wrappedBuffer(body));
    request.release();
    return rewritten;
  }
}
