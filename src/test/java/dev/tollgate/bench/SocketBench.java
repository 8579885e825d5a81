package dev.tollgate.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What a WebSocket frame's trip through Tollgate costs: one client sends an event and waits for the
 * upstream's echo of it, round after round, straight to the upstream and through Tollgate
 * alternately, so both see the same machine; the difference of the round-trip percentiles is what
 * Tollgate adds per frame (two relays: up and back). Run by bench/sockets.sh, with {@code echo
 * PORT} in one process (the upstream) and {@code DIRECT_URL TOLLGATE_URL ROUNDS} in another.
 */
public final class SocketBench {
  private SocketBench() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("echo")) {
      echo(Integer.parseInt(args[1]));
      return;
    }
    int rounds = Integer.parseInt(args[2]);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      // Small: a Responses text delta; large: a Realtime audio append (~100 ms of 24 kHz PCM).
      String small = event(120);
      String large = event(6_400);
      Client direct = new Client(group, URI.create(args[0]));
      Client through = new Client(group, URI.create(args[1]));
      for (String[] run : new String[][] {{"small", small}, {"large", large}}) {
        long[][] rtt = {new long[rounds], new long[rounds]};
        for (int i = 0; i < rounds / 10; i++) { // warm-up, both paths
          direct.roundTrip(run[1]);
          through.roundTrip(run[1]);
        }
        for (int i = 0; i < rounds; i++) {
          rtt[0][i] = direct.roundTrip(run[1]);
          rtt[1][i] = through.roundTrip(run[1]);
        }
        report(run[0], run[1].length(), rtt[0], rtt[1]);
      }
      direct.channel.close().sync();
      through.channel.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static String event(int padding) {
    return "{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + "A".repeat(padding) + "\"}";
  }

  private static void report(String name, int bytes, long[] direct, long[] through) {
    Arrays.sort(direct);
    Arrays.sort(through);
    double[] ps = {0.50, 0.90, 0.99};
    StringBuilder line = new StringBuilder();
    line.append(
        String.format(
            Locale.ROOT, "%s frames (%d B), %d round trips:", name, bytes, direct.length));
    for (double p : ps) {
      long d = direct[(int) (p * (direct.length - 1))];
      long t = through[(int) (p * (through.length - 1))];
      line.append(
          String.format(
              Locale.ROOT,
              " p%d direct %d us, through Tollgate %d us (adds %d us);",
              (int) (p * 100),
              d / 1000,
              t / 1000,
              (t - d) / 1000));
    }
    System.out.println(line);
  }

  /** A Netty WebSocket client that sends one text frame and waits for the next one back. */
  private static final class Client {
    final Channel channel;
    final BlockingQueue<String> replies = new ArrayBlockingQueue<>(16);

    Client(EventLoopGroup group, URI uri) throws InterruptedException {
      WebSocketClientProtocolHandler protocol =
          new WebSocketClientProtocolHandler(
              WebSocketClientHandshakerFactory.newHandshaker(
                  uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 1 << 20));
      channel =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpClientCodec())
                          .addLast(new HttpObjectAggregator(1 << 16))
                          .addLast(protocol)
                          .addLast(
                              new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                @Override
                                protected void channelRead0(
                                    ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                  replies.add(f.text());
                                }
                              });
                    }
                  })
              .connect(uri.getHost(), uri.getPort())
              .sync()
              .channel();
      // The handshake is done once a round trip succeeds.
      for (int i = 0; i < 100; i++) {
        try {
          roundTrip(event(1));
          return;
        } catch (IllegalStateException e) {
          Thread.sleep(50);
        }
      }
      throw new IllegalStateException("no WebSocket to " + uri);
    }

    long roundTrip(String text) throws InterruptedException {
      long start = System.nanoTime();
      channel.writeAndFlush(new TextWebSocketFrame(text));
      String back = replies.poll(5, TimeUnit.SECONDS);
      if (back == null || back.length() != text.length()) {
        throw new IllegalStateException("no echo");
      }
      return System.nanoTime() - start;
    }
  }

  /** The upstream: echoes every text frame on any /v1/... socket. */
  private static void echo(int port) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new HttpServerCodec())
                    .addLast(new HttpObjectAggregator(1 << 16))
                    .addLast(
                        new WebSocketServerProtocolHandler(
                            WebSocketServerProtocolConfig.newBuilder()
                                .websocketPath("/v1")
                                .checkStartsWith(true)
                                .build()))
                    .addLast(
                        new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                          @Override
                          protected void channelRead0(
                              ChannelHandlerContext ctx, TextWebSocketFrame f) {
                            ctx.writeAndFlush(f.retain());
                          }
                        });
              }
            })
        .bind("127.0.0.1", port)
        .sync()
        .channel()
        .closeFuture()
        .sync();
  }
}
