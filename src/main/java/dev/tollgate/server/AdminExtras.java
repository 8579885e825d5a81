package dev.tollgate.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;

/** Admin endpoints answered by their own classes, one path each: forecasts, price lists, jobs. */
interface AdminExtras {
  /** The one path it answers. */
  String path();

  default boolean answers(String path) {
    return path.equals(path());
  }

  FullHttpResponse answer(String path, QueryStringDecoder query, ByteBufAllocator alloc)
      throws Exception;
}
