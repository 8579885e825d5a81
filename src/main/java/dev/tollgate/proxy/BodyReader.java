package dev.tollgate.proxy;

import dev.tollgate.errors.Failure;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads an admitted request's body whole (the proxy must see the model before choosing where to
 * send it), holding each chunk's bytes against the body allowance as it arrives: past {@code
 * server.max_request_body} it is a 413, with no room left a 503, and either way the rest of the
 * body is dropped and the connection stays usable. Answers {@code Expect: 100-continue} once the
 * head was admitted, so a refused client never sends its body at all.
 */
final class BodyReader extends ChannelInboundHandlerAdapter {
  // As Netty's aggregator: few enough components that reading the body is cheap, with a merge
  // every 1024 chunks rather than one per chunk.
  private static final int MAX_COMPONENTS = 1024;

  private final long maxBody;
  private Passage current;
  private CompositeByteBuf body;
  private boolean discarding;

  BodyReader(long maxBody) {
    this.maxBody = maxBody;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Passage p) {
      if (p.refused()) {
        ctx.fireChannelRead(p); // refused on its head: the gate drops its body
      } else {
        begin(ctx, p);
      }
    } else if (msg instanceof HttpContent c) {
      read(ctx, c);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void begin(ChannelHandlerContext ctx, Passage p) {
    current = p;
    body = ctx.alloc().compositeBuffer(MAX_COMPONENTS);
    if (HttpUtil.is100ContinueExpected(p.head)) {
      p.head.headers().remove(HttpHeaderNames.EXPECT);
      ctx.writeAndFlush(
              new DefaultFullHttpResponse(
                  p.head.protocolVersion(), HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER))
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  private void read(ChannelHandlerContext ctx, HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    try {
      if (discarding || current == null) {
        discarding = discarding && !last;
        return;
      }
      if (c.decoderResult().isFailure()) {
        String why = "Malformed HTTP request body: " + c.decoderResult().cause().getMessage();
        refuse(ctx, Refusal.of(GateStep.ADMIT_BODY, Failure.BAD_REQUEST, why).closing(), last);
        return;
      }
      int n = c.content().readableBytes();
      if (n > 0) {
        if (body.readableBytes() + (long) n > maxBody) {
          String why =
              "Request body exceeds the limit of " + maxBody + " bytes (server.max_request_body)";
          refuse(ctx, Refusal.of(GateStep.ADMIT_BODY, Failure.BODY_TOO_LARGE, why), last);
          return;
        }
        if (!current.hold.take(n)) {
          String why = "Too many request bodies are being received at once; retry shortly";
          refuse(ctx, Refusal.of(GateStep.ADMIT_BODY, Failure.BUSY, why), last);
          return;
        }
        body.addComponent(true, c.content().retain());
      }
      if (last) {
        finish(ctx, ((LastHttpContent) c));
      }
    } finally {
      ReferenceCountUtil.release(c);
    }
  }

  private void finish(ChannelHandlerContext ctx, LastHttpContent last) {
    HttpRequest head = current.head;
    current.request =
        new DefaultFullHttpRequest(
            head.protocolVersion(),
            head.method(),
            head.uri(),
            body,
            head.headers(),
            last.trailingHeaders());
    Passage p = current;
    current = null;
    body = null;
    ctx.fireChannelRead(p);
  }

  /** Refuses the request being read; the rest of its body is dropped as it comes. */
  private void refuse(ChannelHandlerContext ctx, Refusal refusal, boolean last) {
    Passage p = current;
    current = null;
    body.release();
    body = null;
    p.hold.release();
    discarding = !last;
    ctx.fireChannelRead(p.refuse(refusal));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) {
      body.release();
      body = null;
      current.hold.release();
      current = null;
    }
    ctx.fireChannelInactive();
  }
}
