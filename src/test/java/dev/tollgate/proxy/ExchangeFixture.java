package dev.tollgate.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.attribution.Attributor;
import dev.tollgate.attribution.Keys;
import dev.tollgate.budget.BudgetBook;
import dev.tollgate.budget.BudgetGate;
import dev.tollgate.call.Call;
import dev.tollgate.config.AttributionConfig;
import dev.tollgate.config.BufferLimits;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.metering.AccessLog;
import dev.tollgate.metering.CatalogHolder;
import dev.tollgate.metering.Metering;
import dev.tollgate.pricing.PriceCatalog;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link FrontendHandler} on an in-memory client channel, with in-memory upstream channels (each
 * ending in a {@link BackendHandler}) handed out in place of the pool, and the real metering behind
 * it. Everything runs on the test's thread; timers fire only when the test advances the clock.
 */
final class ExchangeFixture implements AutoCloseable {
  static final String CHAT_BODY =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}";

  final EmbeddedChannel client;
  final Deque<EmbeddedChannel> upstreams = new ArrayDeque<>();
  final List<Channel> released = new ArrayList<>();
  final BlockingQueue<Call> metered = new LinkedBlockingQueue<>();
  private final Metering metering;
  private final AccessLog accessLog = new AccessLog(false);

  /**
   * @param yaml config overrides, e.g. {@code upstream: {first_byte_timeout: 2s}}
   */
  ExchangeFixture(String yaml) throws Exception {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    ObjectNode tree =
        (ObjectNode) mapper.readTree("upstream: {url: 'http://upstream.test/v1'}\n" + yaml);
    TollgateConfig config = new ConfigLoader(Map.of()).fromTree(tree);
    AttributionConfig a = config.attribution();
    metering =
        new Metering(
            new CatalogHolder(
                config.usage().catalog(),
                "upstream.test",
                config.usage().catalogReloadInterval(),
                () -> null),
            List.of(metered::add),
            accessLog,
            "upstream.test",
            config.usage().maxTokensPerCall(),
            new dev.tollgate.pricing.ToolQuota());
    Upstreams pool =
        new Upstreams() {
          @Override
          public Future<Channel> acquire(EventLoop loop) {
            EmbeddedChannel next = upstreams.isEmpty() ? upstream() : upstreams.poll();
            return loop.newSucceededFuture(next);
          }

          @Override
          public void release(Channel ch) {
            released.add(ch);
          }
        };
    ProxyContext context =
        new ProxyContext(
            config,
            UpstreamSet.single(pool),
            new Traffic(),
            metering,
            accessLog,
            new Attributor(
                () -> Keys.EMPTY,
                new Attributor.Headers(
                    a.teamHeader(), a.projectHeader(), a.userHeader(), a.tagsHeader())),
            new BudgetGate(
                new BudgetBook(),
                config.budgets(),
                () -> new PriceCatalog(java.util.Map.of(), java.util.Map.of(), java.util.Map.of()),
                () -> 0,
                java.time.Clock.systemUTC()),
            null, // no WebSocket passthrough: upgrades are refused
            new BodyAllowance(BufferLimits.NONE),
            dev.tollgate.telemetry.Tracing.start(config.telemetry()));
    client = new EmbeddedChannel();
    RequestPipeline.addGate(client.pipeline(), context);
  }

  /** A fresh in-memory upstream connection; queue it in {@link #upstreams} to hand it out next. */
  static EmbeddedChannel upstream() {
    return new EmbeddedChannel(new BackendHandler());
  }

  /** Sends {@code request} from the client; returns the upstream connection it is given. */
  EmbeddedChannel call(FullHttpRequest request) {
    EmbeddedChannel upstream = upstream();
    upstreams.add(upstream);
    client.writeInbound(request);
    return upstream;
  }

  static FullHttpRequest chatRequest(String body) {
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            "/v1/chat/completions",
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    r.headers().set(HttpHeaderNames.HOST, "tollgate.test");
    return r;
  }

  static FullHttpRequest chatRequest() {
    return chatRequest(
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  /** The upstream answers with a JSON head; the body follows with {@link #body}. */
  static void head(EmbeddedChannel upstream, HttpResponseStatus status) {
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    upstream.writeInbound(head);
  }

  static void body(EmbeddedChannel upstream, String part, boolean last) {
    var buf = Unpooled.copiedBuffer(part, StandardCharsets.UTF_8);
    upstream.writeInbound(last ? new DefaultLastHttpContent(buf) : new DefaultHttpContent(buf));
  }

  /**
   * A heap copy of what the upstream connection was sent (the original released), or null when
   * nothing was. The copy is the garbage collector's: a caller may ignore it (a direct copy left
   * unreleased was reported as a leak).
   */
  static FullHttpRequest sentUpstream(EmbeddedChannel upstream) {
    Object o = upstream.readOutbound();
    if (o == null) {
      return null;
    }
    FullHttpRequest sent = (FullHttpRequest) o;
    FullHttpRequest copy = sent.replace(Unpooled.copiedBuffer(sent.content()));
    ReferenceCountUtil.release(o);
    return copy;
  }

  /** Everything the client was sent so far, as objects; the caller releases them. */
  List<Object> sentToClient() {
    List<Object> out = new ArrayList<>();
    Object o;
    while ((o = client.readOutbound()) != null) {
      out.add(o);
    }
    return out;
  }

  /** The text of all the body bytes the client was sent so far. */
  String clientBody() {
    StringBuilder s = new StringBuilder();
    for (Object o : sentToClient()) {
      if (o instanceof io.netty.handler.codec.http.HttpContent c) {
        s.append(c.content().toString(StandardCharsets.UTF_8));
      }
      ReferenceCountUtil.release(o);
    }
    return s.toString();
  }

  Call nextMetered() throws InterruptedException {
    Call c = metered.poll(5, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no call was metered within 5 s");
    }
    return c;
  }

  @Override
  public void close() {
    client.finishAndReleaseAll();
    metering.close();
    accessLog.close();
  }
}
