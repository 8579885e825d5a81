package dev.tollgate.server;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import java.io.OutputStream;

/** What an admin endpoint answers: a whole response, or a head and a body written as it is read. */
sealed interface AdminAnswer {
  static AdminAnswer whole(FullHttpResponse response) {
    return new Whole(response);
  }

  record Whole(FullHttpResponse response) implements AdminAnswer {}

  /** A body too big to hold (an export): written chunk by chunk, each sent before the next. */
  record Streamed(HttpResponse head, Body body) implements AdminAnswer {}

  /** Writes the body; the stream blocks while the client is slow, and fails if it left. */
  interface Body {
    void writeTo(OutputStream out) throws Exception;
  }
}
