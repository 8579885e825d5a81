package dev.tollgate.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI that speaks the Responses WebSocket protocol on {@code /v1/responses} and the
 * Realtime protocol on {@code /v1/realtime}, with real usage-bearing events. It offers
 * permessage-deflate like a real server would, so a proxy that let compression through could not
 * read usage. Test controls ride in the events: a {@code response.create} whose input mentions
 * {@code CUT} is answered halfway and then the connection is dropped; {@code {"type":"flood"}}
 * sends numbered frames as fast as the connection takes them.
 */
public final class FakeSocketUpstream implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AttributeKey<String> MODEL = AttributeKey.valueOf("model");
  private static final AttributeKey<String> TRANSCRIBER = AttributeKey.valueOf("transcriber");

  /** What the upstream saw of one upgrade. */
  record Upgrade(String uri, HttpHeaders headers, String subprotocol) {}

  final List<Upgrade> upgrades = new CopyOnWriteArrayList<>();
  final List<String> received = new CopyOnWriteArrayList<>();
  final AtomicInteger pongs = new AtomicInteger();
  final AtomicBoolean sawUnwritable = new AtomicBoolean();
  public final AtomicInteger open = new AtomicInteger();
  final AtomicInteger floodSent = new AtomicInteger();
  final AtomicInteger continuations = new AtomicInteger();
  private static final AttributeKey<int[]> FLOOD = AttributeKey.valueOf("flood");
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final io.netty.handler.ssl.SslContext tls;

  public FakeSocketUpstream() throws InterruptedException {
    this(null);
  }

  /** Serving TLS ({@code https://localhost:port/v1}) with {@code tls}'s key, when not null. */
  FakeSocketUpstream(io.netty.handler.ssl.SslContext tls) throws InterruptedException {
    this.tls = tls;
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (tls != null) {
                      ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                    }
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(1 << 20))
                        .addLast(new WebSocketServerCompressionHandler())
                        .addLast(
                            new WebSocketServerProtocolHandler(
                                WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath("/v1")
                                    .checkStartsWith(true)
                                    .subprotocols("realtime")
                                    .allowExtensions(true)
                                    .dropPongFrames(false)
                                    .sendCloseFrame(null) // a dropped connection just drops
                                    .maxFramePayloadLength(64 << 20)
                                    .build()))
                        .addLast(new NotASocket())
                        .addLast(new CountContinuations())
                        .addLast(new WebSocketFrameAggregator(64 << 20))
                        .addLast(new Events());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  public String baseUrl() {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    return tls != null ? "https://localhost:" + port + "/v1" : "http://127.0.0.1:" + port + "/v1";
  }

  @Override
  public void close() {
    server.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Counts the continuation frames that arrive, before they are put back together. */
  private final class CountContinuations extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ContinuationWebSocketFrame) {
        continuations.incrementAndGet();
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** Plain HTTP requests (a client's model listing, say): 404. */
  private static final class NotASocket extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
      ctx.writeAndFlush(
              new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND))
          .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }
  }

  private final class Events extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      pump(ctx);
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hs) {
        upgrades.add(new Upgrade(hs.requestUri(), hs.requestHeaders(), hs.selectedSubprotocol()));
        open.incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
        if (hs.requestUri().startsWith("/v1/realtime")) {
          String model =
              new QueryStringDecoder(hs.requestUri())
                  .parameters()
                  .getOrDefault("model", List.of("gpt-realtime"))
                  .get(0);
          ctx.channel().attr(MODEL).set(model);
          send(ctx, event("session.created").set("session", session(model)));
        }
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws Exception {
      if (frame instanceof PongWebSocketFrame) {
        pongs.incrementAndGet();
        return;
      }
      if (!(frame instanceof TextWebSocketFrame text)) {
        return;
      }
      String message = text.text();
      received.add(message);
      JsonNode e = JSON.readTree(message);
      String type = e.path("type").asText();
      boolean realtime = ctx.channel().hasAttr(MODEL);
      if (type.equals("flood")) {
        flood(ctx, e.path("count").asInt(), e.path("size").asInt());
      } else if (realtime && type.equals("session.update")) {
        // Echo the session back with the client's settings in it, as the real server does.
        ObjectNode session = session(ctx.channel().attr(MODEL).get());
        session.setAll((ObjectNode) e.path("session"));
        ctx.channel()
            .attr(TRANSCRIBER)
            .set(session.at("/audio/input/transcription/model").asText(null));
        send(ctx, event("session.updated").set("session", session));
      } else if (realtime
          && (type.equals("response.create") || type.equals("input_audio_buffer.commit"))) {
        String transcriber = ctx.channel().attr(TRANSCRIBER).get();
        if (type.equals("input_audio_buffer.commit") && transcriber != null) {
          ObjectNode heard = event("conversation.item.input_audio_transcription.completed");
          heard.put("item_id", "item_1").put("content_index", 0).put("transcript", "Hello there");
          ObjectNode usage = heard.putObject("usage");
          usage.put("type", "tokens").put("total_tokens", 150).put("input_tokens", 120);
          usage.putObject("input_token_details").put("text_tokens", 20).put("audio_tokens", 100);
          usage.put("output_tokens", 30);
          send(ctx, heard);
        }
        realtimeTurn(ctx, e.path("fragment").asBoolean(false));
      } else if (!realtime && type.equals("response.create")) {
        responsesTurn(ctx, e);
      }
    }
  }

  private void responsesTurn(ChannelHandlerContext ctx, JsonNode create) {
    String model = create.path("model").asText("gpt-5");
    String id = "resp_" + Long.toHexString(System.nanoTime());
    boolean cut = create.path("input").toString().contains("CUT");
    send(ctx, event("response.created").set("response", response(id, model, "in_progress")));
    if (create.path("generate").asBoolean(true)) {
      ObjectNode delta = event("response.output_text.delta");
      delta.put("item_id", "msg_1").put("output_index", 0).put("content_index", 0);
      delta.put("delta", cut ? "This answer is cut off halfway through" : "Hello from the fake.");
      send(ctx, delta);
    }
    if (cut) {
      ctx.channel().close(); // no close frame: the connection just drops
      return;
    }
    ObjectNode done = response(id, model, "completed");
    ObjectNode item = done.putArray("output").addObject();
    item.put("type", "message")
        .put("id", "msg_1")
        .put("role", "assistant")
        .put("status", "completed");
    item.putArray("content")
        .addObject()
        .put("type", "output_text")
        .put(
            "text",
            create.path("input").toString().contains("BIG")
                ? "x".repeat(5000)
                : "Hello from the fake.")
        .putArray("annotations");
    send(ctx, event("response.output_item.done").put("output_index", 0).set("item", item));
    // A prewarm (generate: false) reads the prompt into the cache and writes nothing.
    boolean generate = create.path("generate").asBoolean(true);
    ObjectNode usage = done.putObject("usage");
    usage.put("input_tokens", 12_000).put("output_tokens", generate ? 400 : 0);
    usage.put("total_tokens", generate ? 12_400 : 12_000);
    usage.putObject("input_tokens_details").put("cached_tokens", 8_000);
    usage.putObject("output_tokens_details").put("reasoning_tokens", generate ? 150 : 0);
    send(ctx, event("response.completed").set("response", done));
  }

  private void realtimeTurn(ChannelHandlerContext ctx, boolean fragment) {
    String id = "resp_rt" + Long.toHexString(System.nanoTime());
    ObjectNode created = JSON.createObjectNode();
    created.put("object", "realtime.response").put("id", id).put("status", "in_progress");
    send(ctx, event("response.created").set("response", created));
    send(
        ctx,
        event("response.output_audio.delta")
            .put("response_id", id)
            .put("delta", "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA="));
    send(
        ctx,
        event("response.output_audio_transcript.delta")
            .put("response_id", id)
            .put("delta", "Hi there"));
    ObjectNode done = JSON.createObjectNode();
    done.put("object", "realtime.response").put("id", id).put("status", "completed");
    ObjectNode usage = done.putObject("usage");
    usage.put("total_tokens", 2_300).put("input_tokens", 1_500).put("output_tokens", 800);
    ObjectNode in = usage.putObject("input_token_details");
    in.put("text_tokens", 700)
        .put("audio_tokens", 800)
        .put("image_tokens", 0)
        .put("cached_tokens", 500);
    in.putObject("cached_tokens_details")
        .put("text_tokens", 300)
        .put("audio_tokens", 200)
        .put("image_tokens", 0);
    usage.putObject("output_token_details").put("text_tokens", 200).put("audio_tokens", 600);
    ObjectNode last = event("response.done").set("response", done);
    if (!fragment) {
      send(ctx, last);
      return;
    }
    // The same event in three frames: a text frame and two continuations.
    String text = last.toString();
    int a = text.length() / 3;
    int b = 2 * text.length() / 3;
    ctx.write(new TextWebSocketFrame(false, 0, text.substring(0, a)));
    ctx.write(new ContinuationWebSocketFrame(false, 0, text.substring(a, b)));
    ctx.writeAndFlush(new ContinuationWebSocketFrame(true, 0, text.substring(b)));
  }

  /**
   * Numbered frames, each written as soon as the connection can take it (a well-behaved sender: it
   * waits while the connection pushes back). {@link #floodSent} counts the frames handed to the
   * connection; it stalls while nobody downstream reads.
   */
  private void flood(ChannelHandlerContext ctx, int count, int size) {
    ctx.channel().attr(FLOOD).set(new int[] {0, count, size});
    pump(ctx);
  }

  private void pump(ChannelHandlerContext ctx) {
    int[] f = ctx.channel().attr(FLOOD).get();
    if (f == null) {
      return;
    }
    String pad = "x".repeat(f[2]);
    while (f[0] < f[1] && ctx.channel().isWritable()) {
      ctx.writeAndFlush(new TextWebSocketFrame(floodFrame(f[0]++, pad)));
      floodSent.set(f[0]);
    }
    if (f[0] < f[1]) {
      sawUnwritable.set(true);
    }
  }

  static String floodFrame(int n, String pad) {
    return "{\"type\":\"flood.item\",\"n\":" + n + ",\"pad\":\"" + pad + "\"}";
  }

  static ObjectNode event(String type) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", type).put("event_id", "evt_" + Long.toHexString(System.nanoTime()));
    return e;
  }

  private static ObjectNode response(String id, String model, String status) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", id).put("object", "response").put("created_at", 1_796_137_009L);
    r.put("status", status).put("model", model);
    r.putArray("output");
    return r;
  }

  private static ObjectNode session(String model) {
    ObjectNode s = JSON.createObjectNode();
    s.put("type", "realtime")
        .put("object", "realtime.session")
        .put("id", "sess_1")
        .put("model", model);
    return s;
  }

  private static void send(ChannelHandlerContext ctx, ObjectNode event) {
    ctx.writeAndFlush(new TextWebSocketFrame(event.toString()));
  }
}
