package dev.tollgate.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.internal.SystemPropertyUtil;

/**
 * Native epoll where it loads (fewer syscalls, and it notices a client's FIN even with auto-read
 * off), NIO everywhere else.
 */
public record Transports(
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel,
    Class<? extends DatagramChannel> datagramChannel,
    String name) {

  public static Transports best() {
    if (Epoll.isAvailable()) {
      return new Transports(
          EpollIoHandler.newFactory(),
          EpollServerSocketChannel.class,
          EpollSocketChannel.class,
          EpollDatagramChannel.class,
          "epoll");
    }
    return new Transports(
        NioIoHandler.newFactory(),
        NioServerSocketChannel.class,
        NioSocketChannel.class,
        NioDatagramChannel.class,
        "nio");
  }

  public EventLoopGroup newGroup(int threads, String poolName) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(poolName, true), ioHandlerFactory);
  }

  /**
   * The buffers Tollgate's channels read into and write from: Netty's pooled allocator, unless
   * {@code -Dio.netty.allocator.type} names one. Netty 4.2's default, the adaptive allocator, takes
   * a heap of 512 MiB or less for a low-memory machine (the Docker image's 40 % of a 1.25 GiB
   * container; the bench's {@code -Xmx512m}), and there gives every buffer over 16.9 KB a chunk of
   * its own, allocated and freed each time: prompts of 20 KB cost the event loops 2–4 µs a call in
   * {@code allocateDirect} and freeing. The pooled allocator keeps such buffers in its arenas.
   */
  public static ByteBufAllocator allocator() {
    return SystemPropertyUtil.contains("io.netty.allocator.type")
        ? ByteBufAllocator.DEFAULT
        : PooledByteBufAllocator.DEFAULT;
  }
}
