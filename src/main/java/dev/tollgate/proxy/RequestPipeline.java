package dev.tollgate.proxy;

import dev.tollgate.config.ServerConfig;
import dev.tollgate.metering.AccessLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/** The proxy's request-body handlers, added by the server's pipeline builder. */
public final class RequestPipeline {
  private RequestPipeline() {}

  /** The request read deadline's two handlers: before the HTTP codec, and after it. */
  public static ChannelHandler[] requestDeadline(ServerConfig server, AccessLog accessLog) {
    return RequestDeadline.handlers(server.requestReadTimeout(), accessLog);
  }

  public static void addBodyHandlers(
      ChannelPipeline p, ServerConfig server, AccessLog accessLog, Traffic traffic) {
    p.addLast("expect", RequestBodyLimit.expectContinue(server.maxRequestBody(), accessLog));
    p.addLast("body-budget", new BodyBudget(traffic, accessLog));
    p.addLast("aggregate", RequestBodyLimit.aggregator((int) server.maxRequestBody(), accessLog));
  }
}
