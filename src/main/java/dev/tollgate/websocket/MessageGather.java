package dev.tollgate.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * One side's text message being put together from its frames, bounded in bytes and in frames, in
 * time linear in its size: the composite never has more components than the frame bound, so Netty
 * never merges it over and over (a default composite merged every 16 parts, and 450k frames of 8
 * bytes cost 19 s of an event loop). On the client's side the frames themselves are also held back,
 * so a message is admitted (or refused) before any of it goes upstream.
 */
final class MessageGather {
  private final int maxBytes;
  private final int maxFrames;
  private final boolean holdFrames;
  private CompositeByteBuf parts;
  private List<WebSocketFrame> held;
  boolean inText; // within a text message (its first frame seen, its last not yet)
  boolean skipping; // the message outgrew a bound, or is binary: relayed, not read

  MessageGather(int maxBytes, int maxFrames, boolean holdFrames) {
    this.maxBytes = maxBytes;
    this.maxFrames = maxFrames;
    this.holdFrames = holdFrames;
  }

  /** True while nothing of the message has been gathered. */
  boolean empty() {
    return parts == null;
  }

  /**
   * Adds one frame of the message; when frames are held, the frame now belongs to this gather.
   *
   * @return false, with nothing added, when it would pass the byte or the frame bound
   */
  boolean add(WebSocketFrame frame) {
    ByteBuf content = frame.content();
    if (parts == null) {
      parts = content.alloc().compositeBuffer(maxFrames);
    }
    if (parts.numComponents() >= maxFrames
        || (long) parts.readableBytes() + content.readableBytes() > maxBytes) {
      return false;
    }
    parts.addComponent(true, content.retainedSlice());
    if (holdFrames) {
      if (held == null) {
        held = new ArrayList<>();
      }
      held.add(frame);
    }
    return true;
  }

  /** The bytes gathered so far (valid until {@link #reset}). */
  ByteBuf bytes() {
    return parts;
  }

  /** Bytes gathered so far. */
  long size() {
    return parts == null ? 0 : parts.readableBytes();
  }

  /** The held frames, in order; the caller owns them from now on. */
  List<WebSocketFrame> takeHeld() {
    List<WebSocketFrame> out = held == null ? new ArrayList<>() : held;
    held = null;
    return out;
  }

  /** Forgets the message: what was gathered, and any frames still held, are released. */
  void reset() {
    if (parts != null) {
      parts.release();
      parts = null;
    }
    if (held != null) {
      held.forEach(WebSocketFrame::release);
      held = null;
    }
    inText = false;
    skipping = false;
  }
}
