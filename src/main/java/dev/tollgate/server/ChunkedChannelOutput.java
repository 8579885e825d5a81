package dev.tollgate.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * An output stream over a channel, for a streamed admin answer written off the event loop: bytes
 * gather into one chunk, and each full chunk waits until the socket took it. Memory is one chunk
 * however big the body, and a client that stops reading stops the writer (after {@code timeout} it
 * fails, and the connection is cut).
 */
final class ChunkedChannelOutput extends OutputStream {
  static final int CHUNK = 64 * 1024;

  private final Channel channel;
  private final long timeoutMillis;
  private final byte[] buffer = new byte[CHUNK];
  private int used;

  ChunkedChannelOutput(Channel channel, Duration timeout) {
    this.channel = channel;
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public void write(int b) throws IOException {
    if (used == buffer.length) {
      send();
    }
    buffer[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (used == buffer.length) {
        send();
      }
      int n = Math.min(len, buffer.length - used);
      System.arraycopy(b, off, buffer, used, n);
      used += n;
      off += n;
      len -= n;
    }
  }

  /** Sends what is gathered (a flush mid-body only sends when a whole chunk is ready). */
  @Override
  public void flush() {}

  /** Sends the rest; the caller writes the last chunk marker. */
  @Override
  public void close() throws IOException {
    if (used > 0) {
      send();
    }
  }

  private void send() throws IOException {
    if (!channel.isActive()) {
      throw new IOException("the client closed the connection");
    }
    ChannelFuture f =
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buffer, 0, used)));
    used = 0;
    if (!f.awaitUninterruptibly(timeoutMillis)) {
      throw new IOException("the client read nothing for " + timeoutMillis + " ms");
    }
    if (!f.isSuccess()) {
      throw new IOException("the client connection failed", f.cause());
    }
  }
}
