package dev.tollgate.proxy;

import dev.tollgate.config.UpstreamConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.AbstractChannelPoolMap;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to the upstream, one pool per event loop: a call's upstream connection
 * lives on its client's event loop (as in Netty's proxy example), so relaying needs no locks or
 * thread hops. Idle connections are closed after {@code upstream.pool.idle_timeout}.
 */
public final class UpstreamPool implements Upstreams, AutoCloseable {
  static final String SSL = "ssl";

  private final UpstreamConfig config;
  private final Optional<SslContext> ssl;
  private final DnsAddressResolverGroup resolver;
  private final AbstractChannelPoolMap<EventLoop, SimpleChannelPool> pools;
  private final Bootstrap base;

  public UpstreamPool(UpstreamConfig config, Transports transports) {
    this.config = config;
    this.ssl = UpstreamTls.contextFor(config);
    this.resolver =
        new DnsAddressResolverGroup(
            new DnsNameResolverBuilder()
                .datagramChannelType(transports.datagramChannel())
                .socketChannelType(transports.socketChannel()));
    this.base =
        new Bootstrap()
            .channel(transports.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, Transports.allocator())
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
            // Resolved per connect (honouring DNS TTLs) without blocking the event loop.
            .resolver(resolver)
            .remoteAddress(InetSocketAddress.createUnresolved(config.host(), config.port()));
    this.pools =
        new AbstractChannelPoolMap<>() {
          @Override
          protected SimpleChannelPool newPool(EventLoop loop) {
            return new CappedPool(base.clone(loop), new Handler(), config.maxIdlePerLoop());
          }
        };
  }

  /** A connected upstream channel on {@code loop}, TLS handshake possibly still under way. */
  @Override
  public Future<Channel> acquire(EventLoop loop) {
    return pools.get(loop).acquire();
  }

  /**
   * A connection of its own, never pooled (a WebSocket holds it for its whole life), with only TLS
   * in its pipeline; complete once the TLS handshake is.
   */
  @Override
  public Future<Channel> connect(EventLoop loop) {
    Promise<Channel> done = loop.newPromise();
    Bootstrap b =
        base.clone(loop)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    addTls(ch);
                  }
                });
    b.connect()
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    done.tryFailure(f.cause());
                    return;
                  }
                  SslHandler tls = f.channel().pipeline().get(SslHandler.class);
                  if (tls == null) {
                    done.trySuccess(f.channel());
                    return;
                  }
                  tls.handshakeFuture()
                      .addListener(
                          hs -> {
                            if (hs.isSuccess()) {
                              done.trySuccess(f.channel());
                            } else {
                              f.channel().close();
                              done.tryFailure(hs.cause());
                            }
                          });
                });
    return done;
  }

  /** TLS first in a new upstream channel's pipeline, for an https upstream. */
  private void addTls(Channel ch) {
    ssl.ifPresent(
        ctx -> ch.pipeline().addLast(SSL, UpstreamTls.newHandler(ctx, ch.alloc(), config)));
  }

  /**
   * The HTTP/1.1 client codec every upstream connection speaks through: pooled calls, and a
   * WebSocket's upgrade. Its limits bound what an upstream's response head may hold.
   */
  public static HttpClientCodec newHttpCodec() {
    return new HttpClientCodec(
        new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(64 * 1024),
        true,
        false);
  }

  /** Returns a channel whose last exchange ended cleanly and may be reused. */
  @Override
  public void release(Channel ch) {
    pools.get(ch.eventLoop()).release(ch);
  }

  @Override
  public void close() {
    pools.close();
    resolver.close();
  }

  private final class Handler extends AbstractChannelPoolHandler {
    @Override
    public void channelCreated(Channel ch) {
      ChannelPipeline p = ch.pipeline();
      addTls(ch);
      p.addLast(
          "idle",
          new IdleStateHandler(0, 0, config.poolIdleTimeout().toMillis(), TimeUnit.MILLISECONDS));
      p.addLast("http", newHttpCodec());
      p.addLast("backend", new BackendHandler());
    }

    @Override
    public void channelReleased(Channel ch) {
      // Upstream channels always auto-read (idle in the pool too, so that an upstream close is
      // noticed at once); an exchange only turns it off while its client cannot keep up.
      // Toggling it per call would cost epoll_ctl system calls on every request.
      ch.config().setAutoRead(true);
    }
  }

  /** Keeps at most {@code maxIdle} idle connections; one released beyond that is closed. */
  private static final class CappedPool extends SimpleChannelPool {
    private final int maxIdle;
    private int idle; // only touched on this pool's event loop

    CappedPool(Bootstrap bootstrap, Handler handler, int maxIdle) {
      super(bootstrap, handler, ChannelHealthChecker.ACTIVE, true, true);
      this.maxIdle = maxIdle;
    }

    @Override
    protected Channel pollChannel() {
      Channel ch = super.pollChannel();
      if (ch != null) {
        idle--;
      }
      return ch;
    }

    @Override
    protected boolean offerChannel(Channel ch) {
      if (idle >= maxIdle) {
        return false;
      }
      idle++;
      return super.offerChannel(ch);
    }
  }
}
