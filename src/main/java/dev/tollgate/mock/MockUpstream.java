package dev.tollgate.mock;

import dev.tollgate.proxy.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fake upstream: chat completions, responses and embeddings, JSON or SSE, answered after {@code
 * delayMs} with stream frames {@code frameIntervalMs} apart. Everything is scheduled on the event
 * loop, so thousands of slow streams cost no threads.
 */
public final class MockUpstream implements AutoCloseable {
  /**
   * @param frames content frames per streamed answer
   */
  public record Settings(String bind, int port, long delayMs, long frameIntervalMs, int frames) {}

  private final Settings settings;
  private final Transports transports = Transports.best();
  private EventLoopGroup group;
  private Channel channel;

  public MockUpstream(Settings settings) {
    this.settings = settings;
  }

  public MockUpstream start() throws InterruptedException {
    group = transports.newGroup(Runtime.getRuntime().availableProcessors(), "mock-upstream");
    Handler handler = new Handler();
    channel =
        new ServerBootstrap()
            .group(group)
            .channel(transports.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpServerCodec(),
                            new HttpServerKeepAliveHandler(),
                            new HttpObjectAggregator(8 << 20),
                            handler);
                  }
                })
            .bind(settings.bind(), settings.port())
            .sync()
            .channel();
    return this;
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
  }

  @ChannelHandler.Sharable
  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String path = new QueryStringDecoder(request.uri()).path();
      MockPayloads.Ask ask = MockPayloads.Ask.of(ByteBufUtil.getBytes(request.content()));
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      // Per-request overrides, so one fake serves every benchmark scenario.
      long delayMs = header(request, "x-mock-delay-ms", settings.delayMs());
      long intervalMs = header(request, "x-mock-frame-interval-ms", settings.frameIntervalMs());
      int frames = (int) header(request, "x-mock-frames", settings.frames());
      Runnable answer =
          () -> {
            if (path.endsWith("/chat/completions")) {
              // Like the real API, the usage chunk and [DONE] follow the finishing chunk at once.
              respond(
                  ctx,
                  keepAlive,
                  ask.stream() ? MockPayloads.chatStream(ask, frames) : null,
                  ask.stream() ? null : MockPayloads.chat(ask, frames),
                  intervalMs,
                  frames + 1);
            } else if (path.endsWith("/responses")) {
              respond(
                  ctx,
                  keepAlive,
                  ask.stream() ? MockPayloads.responsesStream(ask, frames) : null,
                  ask.stream() ? null : MockPayloads.responses(ask, frames),
                  intervalMs,
                  Integer.MAX_VALUE);
            } else if (path.endsWith("/v1/messages")) {
              // Anthropic's native Messages API (the demo's Claude upstream).
              respond(ctx, keepAlive, null, AnthropicPayloads.message(ask, frames), 0, 0);
            } else if (path.endsWith("/embeddings")) {
              respond(ctx, keepAlive, null, MockPayloads.embeddings(ask), 0, 0);
            } else if (path.endsWith("/models")) {
              respond(
                  ctx,
                  keepAlive,
                  null,
                  "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\"}]}"
                      .getBytes(StandardCharsets.UTF_8),
                  0,
                  0);
            } else {
              FullHttpResponse r =
                  json(
                      HttpResponseStatus.NOT_FOUND,
                      ("{\"error\":{\"message\":\"Unknown path "
                              + path
                              + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")
                          .getBytes(StandardCharsets.UTF_8));
              send(ctx, keepAlive, r);
            }
          };
      if (delayMs > 0) {
        ctx.executor().schedule(answer, delayMs, TimeUnit.MILLISECONDS);
      } else {
        answer.run();
      }
    }

    private long header(FullHttpRequest request, String name, long fallback) {
      String v = request.headers().get(name);
      try {
        return v == null ? fallback : Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }

    /**
     * Streams {@code events} (or sends {@code body}); the first {@code paced} events are {@code
     * intervalMs} apart.
     */
    private void respond(
        ChannelHandlerContext ctx,
        boolean keepAlive,
        List<byte[]> events,
        byte[] body,
        long intervalMs,
        int paced) {
      if (events == null) {
        send(ctx, keepAlive, json(HttpResponseStatus.OK, body));
        return;
      }
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
          .set("x-request-id", "req_mock");
      HttpUtil.setKeepAlive(head, keepAlive);
      ctx.writeAndFlush(head);
      frame(ctx, events, 0, intervalMs, paced);
    }

    /**
     * Sends event {@code i}, then schedules the next one a frame interval later (or at once, past
     * {@code paced}).
     */
    private void frame(
        ChannelHandlerContext ctx, List<byte[]> events, int i, long intervalMs, int paced) {
      if (!ctx.channel().isActive()) {
        return;
      }
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(events.get(i))));
      if (i + 1 == events.size()) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      } else if (intervalMs > 0 && i + 1 < paced) {
        ctx.executor()
            .schedule(
                () -> frame(ctx, events, i + 1, intervalMs, paced),
                intervalMs,
                TimeUnit.MILLISECONDS);
      } else {
        frame(ctx, events, i + 1, intervalMs, paced);
      }
    }

    private void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
      HttpUtil.setKeepAlive(r, keepAlive);
      var f = ctx.writeAndFlush(r);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    private FullHttpResponse json(HttpResponseStatus status, byte[] body) {
      FullHttpResponse r =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
      r.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
          .set("x-request-id", "req_mock");
      return r;
    }
  }
}
