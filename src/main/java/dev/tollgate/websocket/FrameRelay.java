package dev.tollgate.websocket;

import dev.tollgate.proxy.Draining;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/** One side of a socket pair: hands each frame it reads, and what happens to it, to the pair. */
final class FrameRelay extends ChannelInboundHandlerAdapter {
  private final SocketPair pair;
  private final boolean client;

  FrameRelay(SocketPair pair, boolean client) {
    this.pair = pair;
    this.client = client;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof WebSocketFrame frame) {
      pair.relay(frame, client);
    } else {
      ReferenceCountUtil.release(msg); // the end of the upgrade response, or nothing we know
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    pair.flush(client);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    pair.writabilityChanged(client);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pair.closed(client);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      pair.goAway("idle timeout");
    } else if (evt == Draining.INSTANCE) {
      pair.drain();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A protocol violation (the decoder has already answered it with a close frame) or a reset.
    ctx.close();
  }
}
