package dev.tollgate.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Runs the gate's head steps on each request as soon as its head is decoded, before a byte of its
 * body is held: canonical path, route, key, attribution, body allowance ({@link GateStep#ON_HEAD}).
 * The head goes on inside a {@link Passage}; a refused request's body is read and dropped here, and
 * its refusal goes on to the frontend, which answers requests in the order they came.
 */
final class RequestGate extends ChannelInboundHandlerAdapter {
  private final Gate gate;
  private boolean discarding; // the rest of a refused request's body

  RequestGate(Gate gate) {
    this.gate = gate;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest head) {
      Passage p = new Passage(head, LoopClock.nanoTime(ctx.channel()));
      Refusal refusal = gate.onHead(p);
      if (refusal == null) {
        ctx.fireChannelRead(p);
        if (msg instanceof LastHttpContent) {
          ctx.fireChannelRead(msg); // a whole request in one message: its body follows its head
        }
        return;
      }
      discarding = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      ctx.fireChannelRead(p.refuse(refusal));
      return;
    }
    if (discarding && msg instanceof HttpContent) {
      discarding = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
