package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A message gathered from many frames costs time linear in its frames, and stays in its bounds. */
class MessageGatherTest {
  private static WebSocketFrame part(boolean first, String text) {
    var bytes = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    return first
        ? new TextWebSocketFrame(false, 0, bytes)
        : new ContinuationWebSocketFrame(false, 0, bytes);
  }

  @Test
  void aHundredThousandFramesAreGatheredWithoutEverBeingMerged() {
    // Netty's default composite merges all it holds every 16 parts: quadratic in the frames.
    MessageGather g = new MessageGather(1 << 30, 200_000, false);
    List<WebSocketFrame> frames = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      WebSocketFrame f = part(i == 0, "01234567");
      frames.add(f);
      assertThat(g.add(f)).isTrue();
    }
    assertThat(((io.netty.buffer.CompositeByteBuf) g.bytes()).numComponents()).isEqualTo(100_000);
    assertThat(g.size()).isEqualTo(800_000);
    assertThat(g.bytes().getCharSequence(799_992, 8, StandardCharsets.UTF_8)).isEqualTo("01234567");
    g.reset();
    frames.forEach(WebSocketFrame::release);
    assertThat(frames.get(0).refCnt()).isZero(); // the gather let go of every slice it kept
  }

  @Test
  void aFramePastEitherBoundIsNotAddedAndHeldFramesAreHandedOverInOrder() {
    MessageGather g = new MessageGather(20, 3, true);
    WebSocketFrame a = part(true, "aaaa");
    WebSocketFrame b = part(false, "bbbb");
    WebSocketFrame c = part(false, "cccc");
    assertThat(g.add(a)).isTrue();
    assertThat(g.add(b)).isTrue();
    assertThat(g.add(c)).isTrue();
    WebSocketFrame tooMany = part(false, "d");
    assertThat(g.add(tooMany)).as("a fourth frame").isFalse();
    assertThat(g.takeHeld()).containsExactly(a, b, c);
    g.reset();
    tooMany.release();

    MessageGather small = new MessageGather(6, 100, true);
    WebSocketFrame x = part(true, "xxxx");
    assertThat(small.add(x)).isTrue();
    WebSocketFrame tooBig = part(false, "yyy");
    assertThat(small.add(tooBig)).as("past 6 bytes").isFalse();
    small.reset(); // releases the held frame it still owns
    assertThat(x.refCnt()).isZero();
    tooBig.release();
  }
}
