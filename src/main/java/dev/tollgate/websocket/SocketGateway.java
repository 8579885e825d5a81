package dev.tollgate.websocket;

import dev.tollgate.attribution.Attributor;
import dev.tollgate.budget.BudgetGate;
import dev.tollgate.call.Api;
import dev.tollgate.call.Outcome;
import dev.tollgate.config.WebSocketConfig;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.metering.AccessLog;
import dev.tollgate.metering.Metering;
import dev.tollgate.proxy.LoopClock;
import dev.tollgate.proxy.ResponseHeaders;
import dev.tollgate.proxy.SocketHandoff;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Takes over admitted WebSocket upgrades from the frontend: bounds how many sockets are open,
 * starts each {@link UpstreamHandshake}, and answers the client when the socket cannot open.
 */
public final class SocketGateway implements SocketHandoff {
  /** How an upgrade ended that the upstream answered with something other than 101. */
  private static final Outcome UPSTREAM_REFUSED = new Outcome("upstream_refused_upgrade");

  private final WebSocketConfig config;
  private final Metering metering;
  private final AccessLog accessLog;
  private final BudgetGate budgets;
  private final Attributor keys;

  /** How often open sockets' keys are checked again: a revocation reaches them within it. */
  public static final Duration KEY_CHECK_INTERVAL = Duration.ofMillis(250);

  private final SocketMeters meters = new SocketMeters();
  private final AtomicInteger open = new AtomicInteger();
  private final Set<SocketPair> live = ConcurrentHashMap.newKeySet();

  /**
   * @param keys asked again while a socket is open, so a revoked or expired key's socket closes
   */
  public SocketGateway(
      WebSocketConfig config,
      Metering metering,
      AccessLog accessLog,
      BudgetGate budgets,
      Attributor keys) {
    this.config = config;
    this.metering = metering;
    this.accessLog = accessLog;
    this.budgets = budgets;
    this.keys = keys;
  }

  /**
   * Closes, with 1008 and the reason, every open socket whose virtual key has been revoked or has
   * expired since it opened; run every {@link #KEY_CHECK_INTERVAL}, and on each {@code
   * response.create} too. The close is made on each socket's own event loop.
   */
  public void checkKeys() {
    Instant now = Instant.now();
    for (SocketPair p : live) {
      String hash = p.keyHash();
      String why = hash == null ? null : keys.refusal(hash, now);
      if (why != null) {
        p.clientChannel()
            .eventLoop()
            .execute(() -> p.revoke(WebSocketCloseStatus.POLICY_VIOLATION, why));
      }
    }
  }

  /** The socket meters, to bind to the registry {@code /metrics} serves. */
  public MeterBinder meters() {
    return meters;
  }

  WebSocketConfig config() {
    return config;
  }

  @Override
  public void open(ChannelHandlerContext ctx, FullHttpRequest request, Opened call) {
    Channel client = ctx.channel();
    if (!config.enabled()) {
      request.release();
      refuse(client, Failure.BAD_REQUEST, "WebSockets are turned off (websocket.enabled)", call);
      return;
    }
    if (open.incrementAndGet() > config.maxSockets()) {
      open.decrementAndGet();
      request.release();
      refuse(
          client,
          Failure.TOO_MANY_SOCKETS,
          "Too many open WebSockets (websocket.max_sockets: " + config.maxSockets() + ")",
          call);
      return;
    }
    client.config().setAutoRead(false); // nothing more is read until the socket is set up
    new UpstreamHandshake(this, client, request, call).start();
  }

  /** The upstream said 101: the socket is open. */
  void established(Channel client, Channel upstream, FullHttpResponse upgraded, Opened call) {
    Api api = call.asked().api();
    SocketMeter meter =
        new SocketMeter(
            new SocketMeter.Session(
                call.asked(),
                call.upstream().config().host(),
                call.upstream().label(),
                metering,
                budgets,
                accessLog,
                meters,
                (int) config.maxEventBytes(),
                config.maxFragments(),
                keyRefusal(call.key())));
    meters.opened(api);
    SocketPair[] pair = new SocketPair[1];
    Consumer<Outcome> onEnd =
        how -> {
          meters.closed(api);
          open.decrementAndGet();
          live.remove(pair[0]);
          long nanos = LoopClock.nanoTime(client) - call.startNanos();
          accessLog.socketClosed(call.asked().id(), call.asked().path(), nanos, how);
        };
    String hash = call.key() == null ? null : call.key().hash();
    pair[0] =
        SocketOpening.start(
            client, upstream, upgraded, call.asked().id(), meter, config, onEnd, hash);
    live.add(pair[0]);
  }

  /** Why the socket's virtual key may no longer be used, asked per turn; never, for other keys. */
  private Supplier<String> keyRefusal(Attributor.Authenticated key) {
    String hash = key == null ? null : key.hash();
    return hash == null ? () -> null : () -> keys.refusal(hash, Instant.now());
  }

  /** The upstream answered the upgrade with something else: the client gets that answer. */
  void refusedUpstream(Channel client, FullHttpResponse answer, Opened call) {
    open.decrementAndGet();
    answer.headers().set(ResponseHeaders.REQUEST_ID, call.asked().id());
    answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    answer.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.content().readableBytes());
    int status = answer.status().code();
    client.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    log(client, call, status, UPSTREAM_REFUSED);
  }

  /** The handshake failed: the client gets {@code failure} (unless it left: null). */
  void failed(Channel client, Failure failure, String message, Opened call) {
    open.decrementAndGet();
    refuse(client, failure, message, call);
  }

  private void refuse(Channel client, Failure failure, String message, Opened call) {
    if (failure == null || !client.isActive()) {
      client.close();
      return;
    }
    FullHttpResponse response = ErrorResponses.of(client.alloc(), failure, message);
    response.headers().set(ResponseHeaders.REQUEST_ID, call.asked().id());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    log(client, call, failure.status().code(), failure.outcome());
  }

  private void log(Channel client, Opened call, int status, Outcome outcome) {
    long nanos = LoopClock.nanoTime(client) - call.startNanos();
    accessLog.refused(call.asked().id(), "GET", call.asked().path(), status, nanos, outcome);
  }

  /** Sockets with a turn under way: a drain waits for them as for calls in flight. */
  public int busySockets() {
    int n = 0;
    for (SocketPair p : live) {
      n += p.busy() ? 1 : 0;
    }
    return n;
  }
}
