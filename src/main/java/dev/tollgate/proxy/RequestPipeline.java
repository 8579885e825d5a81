package dev.tollgate.proxy;

import dev.tollgate.config.ServerConfig;
import dev.tollgate.metering.AccessLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/** The proxy's request handlers, added by the server's pipeline builder. */
public final class RequestPipeline {
  private RequestPipeline() {}

  /** The request read deadline's two handlers: before the HTTP codec, and after it. */
  public static ChannelHandler[] requestDeadline(ServerConfig server, AccessLog accessLog) {
    return RequestDeadline.handlers(server.requestReadTimeout(), accessLog);
  }

  /**
   * The gate: its head steps as each head arrives ("gate"), the body read against its allowance
   * ("body"), then the rest of the steps and the relay ("frontend").
   */
  public static void addGate(ChannelPipeline p, ProxyContext context) {
    Gate gate = new Gate(context);
    p.addLast("gate", new RequestGate(gate));
    p.addLast("body", new BodyReader(context.config().server().maxRequestBody()));
    p.addLast("frontend", new FrontendHandler(context, gate));
  }
}
