package dev.tollgate.server;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.proxy.BodyAllowance;
import dev.tollgate.proxy.Draining;
import dev.tollgate.proxy.ProxyContext;
import dev.tollgate.proxy.Traffic;
import dev.tollgate.proxy.Transports;
import dev.tollgate.proxy.UpstreamSet;
import dev.tollgate.websocket.SocketGateway;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the proxy and admin listeners and owns their lifecycle, including the SIGTERM drain. */
public final class TollgateServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TollgateServer.class);

  private final TollgateConfig config;
  private final Transports transports = Transports.best();
  private final Traffic traffic = new Traffic();
  private final BodyAllowance bodies;
  private final ChannelGroup clients =
      new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
  private EventLoopGroup bossGroup;
  private EventLoopGroup ioGroup;
  private UpstreamSet pool;
  private SocketGateway sockets;
  private Services services;
  private ExecutorService adminExecutor;
  private boolean closed;
  private Channel proxyChannel;
  private Channel adminChannel;

  public TollgateServer(TollgateConfig config) {
    this.config = config;
    this.bodies = new BodyAllowance(config.server().buffers());
  }

  public TollgateServer start() throws InterruptedException {
    // Built first: a bad catalog, keys file or database stops start-up before any port opens.
    services = new Services(config);
    bossGroup = transports.newGroup(1, "tollgate-accept");
    // 0 means one loop per core (Netty's own default of two per core measured slower: more
    // threads than cores add scheduling delay to every hop; see docs/PERFORMANCE.md).
    int ioThreads =
        config.server().ioThreads() == 0
            ? Runtime.getRuntime().availableProcessors()
            : config.server().ioThreads();
    ioGroup = transports.newGroup(ioThreads, "tollgate-io");
    services.metrics.bindEventLoops(ioGroup);
    pool = UpstreamSet.of(config.routing(), transports);
    sockets =
        new SocketGateway(
            config.websocket(),
            services.metering,
            services.accessLog,
            services.budgets,
            services.attributor);
    services.metrics.bind(sockets.meters());
    // A map lookup per open socket: cheap enough for an event loop, and ends with the loops.
    long every = SocketGateway.KEY_CHECK_INTERVAL.toMillis();
    ioGroup.next().scheduleAtFixedRate(sockets::checkKeys, every, every, TimeUnit.MILLISECONDS);
    ProxyContext context =
        new ProxyContext(
            config,
            pool,
            traffic,
            services.metering,
            services.accessLog,
            services.attributor,
            services.budgets,
            sockets,
            bodies,
            services.tracing);
    try {
      proxyChannel =
          bind(
              "server.port",
              config.server().bind(),
              config.server().port(),
              new ProxyInitializer(context, clients));
      adminChannel =
          bind("admin.port", config.admin().bind(), config.admin().port(), adminInitializer());
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    LOG.info(
        "Tollgate listening on {} (admin {}), upstream {}, transport {}",
        proxyChannel.localAddress(),
        adminChannel.localAddress(),
        config.upstream().url(),
        transports.name());
    return this;
  }

  public int port() {
    return ((InetSocketAddress) proxyChannel.localAddress()).getPort();
  }

  public int adminPort() {
    return ((InetSocketAddress) adminChannel.localAddress()).getPort();
  }

  public Traffic traffic() {
    return traffic;
  }

  /** The request-body bytes held right now, by holder. */
  public BodyAllowance bodies() {
    return bodies;
  }

  /**
   * Stops accepting, lets in-flight calls and streams finish for up to {@code drainTimeout}, then
   * closes everything. Idle keep-alive connections are closed at once; busy ones after their call.
   */
  public void drainAndStop(Duration drainTimeout) throws InterruptedException {
    traffic.startDraining();
    proxyChannel.close().sync();
    clients.forEach(ch -> ch.pipeline().fireUserEventTriggered(Draining.INSTANCE));
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    // Sockets mid-turn close when their turn ends (FrameRelay): wait for them as for calls.
    while ((traffic.inFlight() > 0 || (sockets != null && sockets.busySockets() > 0))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    if (traffic.inFlight() > 0) {
      LOG.warn("Drain timeout reached with {} calls in flight; closing them", traffic.inFlight());
    }
    close();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (proxyChannel != null) {
      proxyChannel.close();
    }
    if (adminChannel != null) {
      adminChannel.close();
    }
    clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    if (pool != null) {
      pool.close();
    }
    if (ioGroup != null) {
      ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (bossGroup != null) {
      bossGroup
          .shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (adminExecutor != null) {
      adminExecutor.shutdownNow();
    }
    if (services != null) {
      services.close(); // last: every call the event loops finished has reached metering by now
    }
  }

  /** Binds a listener; a port that cannot be had is one line naming its setting, not a trace. */
  private Channel bind(
      String setting, String host, int port, ChannelInitializer<SocketChannel> initializer)
      throws InterruptedException {
    try {
      return listen(host, port, initializer);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      String why = String.valueOf(e.getMessage());
      throw new ConfigException(
          setting
              + " "
              + port
              + (why.contains("in use") ? " is already in use" : " cannot be listened on: " + why)
              + " (on "
              + host
              + ")");
    }
  }

  private Channel listen(String host, int port, ChannelInitializer<SocketChannel> initializer)
      throws InterruptedException {
    return new ServerBootstrap()
        .group(bossGroup, ioGroup)
        .channel(transports.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, Transports.allocator())
        // Past 256 KiB unflushed to a client, stop reading the upstream until it drains.
        .childOption(
            ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
        .childHandler(initializer)
        .bind(host, port)
        .sync()
        .channel();
  }

  private ChannelInitializer<SocketChannel> adminInitializer() {
    // Admin queries are blocking JDBC: they run here, never on an event loop. Bounded both ways.
    adminExecutor =
        new ThreadPoolExecutor(
            2,
            2,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(64),
            new DefaultThreadFactory("tollgate-admin", true),
            new ThreadPoolExecutor.AbortPolicy());
    AdminHandler handler = AdminWiring.handler(config, services, traffic, adminExecutor);
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline()
            .addLast(
                "idle",
                new IdleStateHandler(
                    0, 0, config.admin().idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
            .addLast("http", new HttpServerCodec())
            .addLast("aggregate", new HttpObjectAggregator(64 * 1024))
            .addLast("admin", handler);
      }
    };
  }
}
