package dev.tollgate.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;

/** Admin endpoints answered by their own classes: forecasts and the FOCUS export. */
interface AdminExtras {
  boolean answers(String path);

  FullHttpResponse answer(String path, QueryStringDecoder query, ByteBufAllocator alloc)
      throws Exception;
}
