package dev.tollgate.proxy;

import static dev.tollgate.proxy.ExchangeFixture.body;
import static dev.tollgate.proxy.ExchangeFixture.chatRequest;
import static dev.tollgate.proxy.ExchangeFixture.head;
import static dev.tollgate.proxy.ExchangeFixture.sentUpstream;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link FrontendHandler} on in-memory channels: one behaviour per test. */
class FrontendHandlerTest {

  @Test
  void anUnknownRouteIsAnsweredWithAnOpenAiShaped404AndNeverReachesTheUpstream() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      EmbeddedChannel upstream = ExchangeFixture.upstream();
      f.upstreams.add(upstream);
      f.client.writeInbound(
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.GET, "/admin/secrets", Unpooled.EMPTY_BUFFER));

      FullHttpResponse response = (FullHttpResponse) f.client.readOutbound();
      assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("\"error\":{")
          .contains("\"type\":\"invalid_request_error\"")
          .contains("\"code\":\"unknown_route\"");
      response.release();
      assertThat(sentUpstream(upstream)).isNull();
      assertThat(f.client.isOpen()).isTrue(); // keep-alive: the connection serves the next call
    }
  }

  @Test
  void aWebSocketUpgradeWithoutPassthroughIsA400ThatClosesAndNeverReachesTheUpstream()
      throws Exception {
    for (String path : new String[] {"/v1/responses", "/v1/chat/completions"}) {
      try (ExchangeFixture f = new ExchangeFixture("")) {
        EmbeddedChannel upstream = ExchangeFixture.upstream();
        f.upstreams.add(upstream);
        DefaultFullHttpRequest upgrade =
            new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
        upgrade.headers().set("Upgrade", "websocket").set("Connection", "Upgrade");
        f.client.writeInbound(upgrade);
        FullHttpResponse response = (FullHttpResponse) f.client.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(response.content().toString(StandardCharsets.UTF_8))
            .contains(
                path.equals("/v1/responses")
                    ? "WebSockets are not carried by this server"
                    : "WebSockets are carried on /v1/responses and /v1/realtime only");
        response.release();
        assertThat(sentUpstream(upstream)).isNull();
        assertThat(f.client.isOpen()).isFalse();
      }
    }
  }

  @Test
  void attributionHeadersNeverReachTheUpstream() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      FullHttpRequest request = chatRequest();
      request.headers().set("X-Tollgate-Team", "search").set("X-Tollgate-Tags", "feature=ranking");
      EmbeddedChannel upstream = f.call(request);

      FullHttpRequest sent = sentUpstream(upstream);
      assertThat(sent.headers().names()).noneMatch(n -> n.toLowerCase().startsWith("x-tollgate"));
      sent.release();
      head(upstream, HttpResponseStatus.OK);
      body(upstream, ExchangeFixture.CHAT_BODY, true);
      assertThat(f.nextMetered().attribution().team()).isEqualTo("search");
      f.sentToClient().forEach(io.netty.util.ReferenceCountUtil::release);
    }
  }

  @Test
  void aPipelinedRequestWaitsUntilTheCallBeforeItHasEnded() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      EmbeddedChannel first = ExchangeFixture.upstream();
      f.upstreams.add(first);
      f.client.writeInbound(chatRequest(), chatRequest());

      assertThat(sentUpstream(first)).isNotNull();
      assertThat(f.upstreams).isEmpty(); // the second request has not asked for a connection yet
      assertThat(f.client.config().isAutoRead())
          .isFalse(); // and the client is not read further meanwhile

      head(first, HttpResponseStatus.OK);
      body(first, ExchangeFixture.CHAT_BODY, true);
      // The first call ended: its connection went back to the pool and the second call started.
      assertThat(f.released).containsExactly(first);
      assertThat(f.nextMetered().relay().status()).isEqualTo(200);
      f.sentToClient().forEach(io.netty.util.ReferenceCountUtil::release);
    }
  }

  @Test
  void aRequestWithAVirtualKeyButNoUpstreamKeyIsRefusedWith401ForAnUnknownKey() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      FullHttpRequest request = chatRequest();
      request.headers().set("Authorization", "Bearer tg-not-a-known-key");
      f.client.writeInbound(request);

      FullHttpResponse response = (FullHttpResponse) f.client.readOutbound();
      assertThat(response.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("\"code\":\"invalid_api_key\"");
      response.release();
    }
  }

  @Test
  void aPipelinedRequestBehindARefusedOneIsServedInOrder() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      EmbeddedChannel first = ExchangeFixture.upstream();
      EmbeddedChannel third = ExchangeFixture.upstream();
      f.upstreams.add(first);
      f.upstreams.add(third);
      f.client.writeInbound(
          chatRequest(),
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.GET, "/nope", Unpooled.EMPTY_BUFFER),
          chatRequest());
      assertThat(sentUpstream(first)).isNotNull();
      head(first, HttpResponseStatus.OK);
      body(first, ExchangeFixture.CHAT_BODY, true);

      // The 404 goes out after the first answer, and the third request is sent on at once.
      assertThat(sentUpstream(third)).isNotNull();
      var sent = f.sentToClient();
      assertThat(sent)
          .filteredOn(o -> o instanceof FullHttpResponse)
          .extracting(o -> ((FullHttpResponse) o).status())
          .containsExactly(HttpResponseStatus.NOT_FOUND);
      sent.forEach(io.netty.util.ReferenceCountUtil::release);
      head(third, HttpResponseStatus.OK);
      body(third, ExchangeFixture.CHAT_BODY, true);
      assertThat(f.client.config().isAutoRead()).isTrue(); // the queue is served: reading resumes
      f.sentToClient().forEach(io.netty.util.ReferenceCountUtil::release);
    }
  }
}
