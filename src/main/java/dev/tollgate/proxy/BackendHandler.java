package dev.tollgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The upstream end of a pooled connection: hands what the upstream sends to the exchange that
 * currently owns the connection. With no owner (idle in the pool) any bytes or a timeout close it.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private ProxyExchange exchange;

  void bind(ProxyExchange exchange) {
    this.exchange = exchange;
  }

  void unbind() {
    this.exchange = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (exchange == null || !(msg instanceof HttpObject)) {
      // Nothing asked for this: an idle connection the upstream is misusing. Drop it.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    exchange.onUpstreamMessage((HttpObject) msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.onUpstreamReadComplete();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.onUpstreamClosed(null);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (exchange != null) {
      exchange.onUpstreamClosed(cause);
    }
    ctx.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && exchange == null) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }
}
