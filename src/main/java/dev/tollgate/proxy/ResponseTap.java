package dev.tollgate.proxy;

import dev.tollgate.openai.ResponseFacts;
import dev.tollgate.openai.ResponseReader;
import dev.tollgate.openai.UsageNullMember;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Locale;

/**
 * Reads usage from a response body as it is relayed, without holding it: JSON bodies and SSE
 * streams are fed to {@link ResponseReader} straight from the network buffers.
 *
 * <p>When Tollgate itself asked a chat stream for usage, the usage-only chunk that answers it is
 * cut out, and so is the {@code "usage":null} the request added to every other chunk, so the client
 * sees exactly the chunks it would have seen directly. Only then are bytes held back, and only the
 * unfinished tail of an event (an SSE client cannot act on half an event).
 */
final class ResponseTap {
  private final ResponseReader reader;
  private final boolean dropUsageChunk;
  private CompositeByteBuf held; // the start of an unfinished event, in drop mode only

  private ResponseTap(ResponseReader reader, boolean dropUsageChunk) {
    this.reader = reader;
    this.dropUsageChunk = dropUsageChunk;
  }

  /** A tap for this response, or null when its body carries nothing to read (not JSON or SSE). */
  static ResponseTap of(HttpResponse response, boolean injectedUsage) {
    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
    String encoding = response.headers().get(HttpHeaderNames.CONTENT_ENCODING, "identity");
    if (!encoding.equalsIgnoreCase("identity")) {
      return null; // compressed despite our Accept-Encoding: usage is then estimated
    }
    if (type.startsWith("text/event-stream")) {
      return new ResponseTap(ResponseReader.sse(), injectedUsage);
    }
    if (type.startsWith("application/json")) {
      return new ResponseTap(ResponseReader.json(), false);
    }
    return null;
  }

  /** Reads {@code content} and returns what the client should get (possibly nothing yet). */
  HttpContent onContent(HttpContent content) {
    ByteBuf in = content.content();
    if (!dropUsageChunk) {
      if (in.isReadable()) {
        reader.feed(in.nioBuffer());
      }
      return content;
    }
    if (!in.isReadable()) {
      if (content instanceof LastHttpContent last && held != null) {
        // The stream ended mid-event: pass on what the upstream sent, never drop it.
        CompositeByteBuf rest = held;
        held = null;
        content.release();
        return new DefaultLastHttpContent(rest, last.trailingHeaders());
      }
      return content;
    }
    int base = in.readerIndex();
    int[] eventStart = {base};
    CompositeByteBuf out = in.alloc().compositeBuffer();
    reader.feed(
        in.nioBuffer(),
        (end, usageOnly) -> {
          int endIndex = base + end;
          if (usageOnly) {
            releaseHeld();
          } else {
            appendEvent(out, in, eventStart[0], endIndex);
          }
          eventStart[0] = endIndex;
        });
    int tail = in.writerIndex() - eventStart[0];
    boolean last = content instanceof LastHttpContent;
    if (tail > 0) {
      if (held == null) {
        held = in.alloc().compositeBuffer();
      }
      held.addComponent(true, in.retainedSlice(eventStart[0], tail));
    }
    if (last) {
      appendHeld(out); // a stream that ends mid-event: pass on what the upstream sent
    }
    HttpContent result =
        last
            ? new DefaultLastHttpContent(out, ((LastHttpContent) content).trailingHeaders())
            : new DefaultHttpContent(out);
    content.release();
    return result;
  }

  ResponseFacts facts() {
    return reader.facts();
  }

  /** Releases any held bytes and returns what was read. */
  ResponseFacts release() {
    releaseHeld();
    return reader.facts();
  }

  /**
   * Adds one kept event, from the held start of it (if any) to {@code end} of {@code in}, without
   * the {@code "usage":null} member the injected {@code include_usage} added to it: the client gets
   * the bytes it would have had from the upstream directly.
   */
  private void appendEvent(CompositeByteBuf out, ByteBuf in, int start, int end) {
    ByteBuf event = in.retainedSlice(start, end - start);
    if (held != null) {
      // The event began in an earlier chunk (rare: most chunks hold whole events). Copy it whole
      // so the member can be found even where the chunk boundary cut through it.
      ByteBuf whole = in.alloc().buffer(held.readableBytes() + event.readableBytes());
      whole.writeBytes(held).writeBytes(event);
      event.release();
      releaseHeld();
      event = whole;
    }
    long cut = UsageNullMember.find(event.nioBuffer());
    if (cut < 0) {
      out.addComponent(true, event);
      return;
    }
    int from = (int) (cut >>> 32);
    int to = (int) cut;
    int length = event.readableBytes();
    out.addComponent(true, event.retainedSlice(event.readerIndex(), from));
    out.addComponent(true, event.retainedSlice(event.readerIndex() + to, length - to));
    event.release();
  }

  private void appendHeld(CompositeByteBuf out) {
    if (held != null) {
      out.addComponent(true, held);
      held = null;
    }
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }
}
