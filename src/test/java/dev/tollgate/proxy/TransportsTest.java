package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class TransportsTest {
  @Test
  void channelsUseThePooledAllocatorUnlessTheOperatorNamesOne() {
    String before = System.getProperty("io.netty.allocator.type");
    try {
      System.clearProperty("io.netty.allocator.type");
      assertThat(Transports.allocator()).isSameAs(PooledByteBufAllocator.DEFAULT);

      // -Dio.netty.allocator.type=... is the operator's choice, made through Netty's own default.
      System.setProperty("io.netty.allocator.type", "adaptive");
      assertThat(Transports.allocator()).isSameAs(ByteBufAllocator.DEFAULT);
    } finally {
      if (before == null) {
        System.clearProperty("io.netty.allocator.type");
      } else {
        System.setProperty("io.netty.allocator.type", before);
      }
    }
  }
}
