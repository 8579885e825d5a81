package dev.tollgate.server;

import dev.tollgate.config.ServerConfig;
import dev.tollgate.proxy.ProxyContext;
import dev.tollgate.proxy.RequestPipeline;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Builds a client connection's pipeline in named steps: timeouts, HTTP/1.1, the gate, relay. */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
  private final ProxyContext context;
  private final ChannelGroup clients;

  ProxyInitializer(ProxyContext context, ChannelGroup clients) {
    this.context = context;
    this.clients = clients;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    clients.add(ch);
    ServerConfig server = context.config().server();
    ChannelPipeline p = ch.pipeline();
    addTimeoutHandlers(p, server);
    ChannelHandler[] deadline = RequestPipeline.requestDeadline(server, context.accessLog());
    p.addLast("read-deadline", deadline[0]);
    addHttp1Handlers(p, server);
    p.addLast("read-deadline-end", deadline[1]);
    RequestPipeline.addGate(p, context);
  }

  private static void addTimeoutHandlers(ChannelPipeline p, ServerConfig server) {
    p.addLast(
        "idle",
        new IdleStateHandler(0, 0, server.clientIdleTimeout().toMillis(), TimeUnit.MILLISECONDS));
  }

  private static void addHttp1Handlers(ChannelPipeline p, ServerConfig server) {
    p.addLast(
        "http",
        new HttpServerCodec(
            new HttpDecoderConfig()
                .setMaxInitialLineLength(Math.min(server.maxHeaderSize(), 64 * 1024))
                .setMaxHeaderSize(server.maxHeaderSize())));
    p.addLast("keepalive", new HttpServerKeepAliveHandler());
  }
}
