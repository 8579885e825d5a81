package dev.tollgate.websocket;

import dev.tollgate.call.Outcome;
import dev.tollgate.config.WebSocketConfig;
import dev.tollgate.proxy.ResponseHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The moment a socket opens: both connections' pipelines turned from HTTP to frames. */
final class SocketOpening {
  private SocketOpening() {}

  /**
   * Answers the client's upgrade with the upstream's 101 (its accept key answers the client's own
   * key, which went upstream unchanged) and turns both pipelines from HTTP to WebSocket frames.
   * Runs on the event loop while the upstream's 101 is read; the client is not read meanwhile.
   */
  static SocketPair start(
      Channel client,
      Channel upstream,
      FullHttpResponse upgraded,
      String sessionId,
      SocketMeter meter,
      WebSocketConfig config,
      Consumer<Outcome> onEnd,
      String keyHash) {
    SocketPair pair = new SocketPair(client, upstream, meter, config, onEnd, keyHash);
    FullHttpResponse answer =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
    answer.headers().set(upgraded.headers());
    // A 1xx carries no length (RFC 9110 §8.6); the aggregator that read the 101 may have added one.
    answer.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
    answer.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    answer.headers().set(ResponseHeaders.REQUEST_ID, sessionId);

    ChannelPipeline cp = client.pipeline();
    for (String name : List.copyOf(cp.names())) {
      if (!name.equals("http") && cp.context(name) != null) {
        cp.remove(name); // the HTTP request handlers: timeouts, limits, the frontend
      }
    }
    // Encoded at once, on this loop, so the codec can be replaced right after.
    client.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    int maxFrame = (int) config.maxFrameBytes();
    // The encoder sits before the decoder, so the close frame a decoder answers a protocol
    // violation with (1002, or 1009 for a frame past max_frame_bytes) is encoded on its way out.
    cp.replace("http", "ws-encoder", new WebSocket13FrameEncoder(false));
    cp.addAfter("ws-encoder", "ws-decoder", new WebSocket13FrameDecoder(decoder(true, maxFrame)));
    long idle = config.idleTimeout().toMillis();
    cp.addAfter("ws-decoder", "idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
    cp.addLast("relay", new FrameRelay(pair, true));

    ChannelPipeline up = upstream.pipeline();
    up.remove("handshake");
    up.remove("aggregate");
    HttpClientCodec codec = up.get(HttpClientCodec.class);
    codec.removeOutboundHandler();
    up.addAfter("http", "ws-encoder", new WebSocket13FrameEncoder(true));
    up.addAfter("ws-encoder", "ws-decoder", new WebSocket13FrameDecoder(decoder(false, maxFrame)));
    up.addLast("relay", new FrameRelay(pair, false));
    // Bytes that came with the 101 pass through the codec (now in its upgraded state) to the
    // frame decoder; it goes once this read is over, as Netty's own client handshaker does.
    upstream
        .eventLoop()
        .execute(
            () -> {
              if (up.context(codec) != null) {
                up.remove(codec);
              }
            });
    if (!upstream.isActive()) {
      pair.closed(false);
    }
    client.config().setAutoRead(true);
    return pair;
  }

  private static WebSocketDecoderConfig decoder(boolean fromClient, int maxFrame) {
    return WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(fromClient)
        .allowMaskMismatch(false)
        .allowExtensions(false) // none is negotiated: Tollgate offers none upstream
        .maxFramePayloadLength(maxFrame)
        .closeOnProtocolViolation(true)
        .build();
  }
}
