package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tap passes streams through unchanged, except what Tollgate's own request for usage added: the
 * usage-only chunk and the {@code "usage":null} member of the others.
 */
class ResponseTapTest {
  static String fixture(String name) throws Exception {
    try (InputStream in = ResponseTapTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static HttpResponse sse() {
    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    r.headers().set("content-type", "text/event-stream; charset=utf-8");
    return r;
  }

  /** Feeds {@code body} split at the given offsets and returns what the client would get. */
  static String relay(ResponseTap tap, byte[] body, int... cuts) {
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : body.length;
      ByteBuf buf = Unpooled.directBuffer(Math.max(to - from, 1)).writeBytes(body, from, to - from);
      HttpContent in =
          i < cuts.length ? new DefaultHttpContent(buf) : new DefaultLastHttpContent(buf);
      HttpContent result = tap.onContent(in);
      assertThat(result instanceof LastHttpContent).isEqualTo(i == cuts.length);
      out.append(result.content().toString(StandardCharsets.UTF_8));
      result.release();
      assertThat(result.refCnt()).isZero();
      from = to;
    }
    tap.release();
    return out.toString();
  }

  @Test
  void theInjectedUsageChunkIsCutOutAtEverySplitPoint() throws Exception {
    String stream = fixture("chat-stream-usage.sse");
    byte[] body = stream.getBytes(StandardCharsets.UTF_8);
    int usageStart =
        stream.indexOf(
            "data: {\"id\":\"chatcmpl-D2y\",\"object\":\"chat.completion.chunk\",\"created\":1760000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\",\"choices\":[]");
    int usageEnd = stream.indexOf("data: [DONE]");
    // What the client would have had without Tollgate: no usage chunk, and no "usage":null in the
    // chunks, which the upstream adds only because Tollgate asked for usage.
    String expected =
        (stream.substring(0, usageStart) + stream.substring(usageEnd))
            .replace(",\"usage\":null", "");
    assertThat(expected).doesNotContain("\"usage\"").contains("\"obfuscation\"");
    for (int cut = 1; cut < body.length; cut++) {
      ResponseTap tap = ResponseTap.of(sse(), true);
      assertThat(relay(tap, body, cut)).as("split at %d", cut).isEqualTo(expected);
      assertThat(tap.facts().usage().input()).isEqualTo(1200);
    }
    ResponseTap threeWay = ResponseTap.of(sse(), true);
    assertThat(relay(threeWay, body, usageStart + 3, usageEnd - 2)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 40, 300})
  void aClientThatAskedForUsageGetsEveryByte(int cut) throws Exception {
    byte[] body = fixture("chat-stream-usage.sse").getBytes(StandardCharsets.UTF_8);
    ResponseTap tap = ResponseTap.of(sse(), false);
    assertThat(relay(tap, body, cut)).isEqualTo(new String(body, StandardCharsets.UTF_8));
    assertThat(tap.facts().usage().output()).isEqualTo(40);
  }

  @Test
  void compressedOrOpaqueBodiesAreNotTapped() {
    HttpResponse gzip = sse();
    gzip.headers().set("content-encoding", "gzip");
    HttpResponse audio = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    audio.headers().set("content-type", "audio/mpeg");
    assertThat(ResponseTap.of(gzip, true)).isNull();
    assertThat(ResponseTap.of(audio, false)).isNull();
  }
}
