package dev.tollgate.proxy;

import static dev.tollgate.proxy.ExchangeFixture.body;
import static dev.tollgate.proxy.ExchangeFixture.chatRequest;
import static dev.tollgate.proxy.ExchangeFixture.head;
import static dev.tollgate.proxy.ExchangeFixture.sentUpstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ProxyExchange} on in-memory channels: one behaviour per test. */
class ProxyExchangeTest {

  @Test
  void aResponseIsRelayedAsItArrivesAndItsConnectionGoesBackToThePool() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      EmbeddedChannel upstream = f.call(chatRequest());
      assertThat(sentUpstream(upstream).uri()).isEqualTo("/v1/chat/completions");

      head(upstream, HttpResponseStatus.OK);
      String half = ExchangeFixture.CHAT_BODY.substring(0, 40);
      body(upstream, half, false);
      assertThat(f.clientBody()).isEqualTo(half); // relayed before the rest arrived
      body(upstream, ExchangeFixture.CHAT_BODY.substring(40), true);

      assertThat(f.clientBody()).isEqualTo(ExchangeFixture.CHAT_BODY.substring(40));
      assertThat(f.released).containsExactly(upstream);
      Call call = f.nextMetered();
      assertThat(call.relay().outcome()).isEqualTo(Outcome.OK);
      assertThat(call.usage().input()).isEqualTo(12);
      assertThat(call.status()).isEqualTo(PricingStatus.PRICED);
    }
  }

  @Test
  void theClientGetsTheRequestIdWithTheUpstreamsHead() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      EmbeddedChannel upstream = f.call(chatRequest());
      head(upstream, HttpResponseStatus.OK);
      List<Object> sent = f.sentToClient();
      HttpResponse response = (HttpResponse) sent.get(0);
      body(upstream, ExchangeFixture.CHAT_BODY, true);
      assertThat(response.headers().get(ResponseHeaders.REQUEST_ID))
          .isEqualTo(f.nextMetered().id());
      sent.forEach(ReferenceCountUtil::release);
    }
  }

  @Test
  void anUpstreamThatClosesBeforeAnsweringIsA502AndItsConnectionIsNotReused() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      EmbeddedChannel upstream = f.call(chatRequest());
      sentUpstream(upstream);
      upstream.close(); // after the request left: not retried, since the provider may bill it

      FullHttpResponse error = (FullHttpResponse) f.client.readOutbound();
      assertThat(error.status()).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
      assertThat(error.content().toString(StandardCharsets.UTF_8))
          .contains("\"code\":\"upstream_connection_reset\"");
      error.release();
      assertThat(f.released).isEmpty();
      assertThat(f.nextMetered().relay().status()).isEqualTo(502);
    }
  }

  @Test
  void aRequestThatCouldNotBeWrittenIsRetriedOnceOnANewConnection() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      // A pooled connection the upstream dropped just as the request was written: the write fails.
      EmbeddedChannel dead =
          new EmbeddedChannel(
              new ChannelOutboundHandlerAdapter() {
                @Override
                public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                  ReferenceCountUtil.release(msg);
                  promise.setFailure(new IOException("Broken pipe"));
                }
              },
              new BackendHandler());
      EmbeddedChannel fresh = ExchangeFixture.upstream();
      f.upstreams.add(dead);
      f.upstreams.add(fresh);
      f.client.writeInbound(chatRequest());

      assertThat(sentUpstream(fresh)).isNotNull();
      assertThat(dead.isOpen()).isFalse();
      head(fresh, HttpResponseStatus.OK);
      body(fresh, ExchangeFixture.CHAT_BODY, true);
      assertThat(f.clientBody()).isEqualTo(ExchangeFixture.CHAT_BODY);
      assertThat(f.nextMetered().relay().outcome()).isEqualTo(Outcome.OK);
    }
  }

  @Test
  void aClientThatLeavesMidResponseIsMeteredFromTheRestOfTheUpstreamsAnswer() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      EmbeddedChannel upstream = f.call(chatRequest());
      head(upstream, HttpResponseStatus.OK);
      body(upstream, ExchangeFixture.CHAT_BODY.substring(0, 30), false);
      f.sentToClient().forEach(ReferenceCountUtil::release);

      f.client.close(); // the exchange keeps reading: the provider bills the call anyway
      assertThat(f.metered).isEmpty();
      body(upstream, ExchangeFixture.CHAT_BODY.substring(30), true);

      Call call = f.nextMetered();
      assertThat(call.relay().status()).isEqualTo(499);
      assertThat(call.relay().outcome()).isEqualTo(Outcome.CLIENT_CLOSED);
      assertThat(call.usage().output()).isEqualTo(3);
      assertThat(f.released).isEmpty(); // mid-response when the client left: never reused
    }
  }

  @Test
  void aSilentUpstreamIsCutAtTheFirstByteTimeoutWithA504() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("upstream: {first_byte_timeout: 2s}")) {
      EmbeddedChannel upstream = f.call(chatRequest());
      sentUpstream(upstream);

      f.client.advanceTimeBy(2_100, TimeUnit.MILLISECONDS);
      f.client.runScheduledPendingTasks();

      FullHttpResponse error = (FullHttpResponse) f.client.readOutbound();
      assertThat(error.status()).isEqualTo(HttpResponseStatus.GATEWAY_TIMEOUT);
      error.release();
      assertThat(upstream.isOpen()).isFalse();
      assertThat(f.nextMetered().relay().outcome().code()).isEqualTo("upstream_timeout");
    }
  }

  @Test
  void anUpstreamErrorAfterTheHeadCutsTheClientConnectionSoTheTruncationShows() throws Exception {
    try (ExchangeFixture f = new ExchangeFixture("")) {
      EmbeddedChannel upstream = f.call(chatRequest());
      head(upstream, HttpResponseStatus.OK);
      body(upstream, "{\"id\":", false);
      upstream.close();

      assertThat(f.client.isOpen()).isFalse();
      assertThat(f.nextMetered().relay().outcome().code()).isEqualTo("upstream_connection_reset");
      f.sentToClient().forEach(ReferenceCountUtil::release);
    }
  }
}
