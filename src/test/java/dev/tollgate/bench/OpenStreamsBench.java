package dev.tollgate.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory with many slow streams open at once: one NIO selector opens N streams through Tollgate
 * (frames a second apart), waits until every response head arrived, then reads Tollgate's heap
 * (after a GC, via jcmd) and resident set size (from /proc).
 */
final class OpenStreamsBench {
  /**
   * @param failed streams refused, reset or answered with an error before their head arrived
   */
  record Result(
      int requested,
      int open,
      int failed,
      long heapUsedBytes,
      long rssBytes,
      double secondsToOpen) {}

  static Result run(URI tollgate, long pid, int streams) throws IOException, InterruptedException {
    byte[] request =
        RawHttp.post(
            tollgate,
            "/chat/completions",
            Targets.STREAM_CHAT,
            "X-Mock-Frames: 600",
            "X-Mock-Frame-Interval-Ms: 1000");
    List<SocketChannel> channels = new ArrayList<>();
    int open = 0;
    int failed = 0;
    long start = System.nanoTime();
    try (Selector selector = Selector.open()) {
      ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
      int launched = 0;
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (open + failed < streams && System.nanoTime() < deadline) {
        // Open in waves so accept queues never overflow.
        while (launched < streams && launched - open - failed < 500) {
          SocketChannel ch = SocketChannel.open();
          ch.configureBlocking(false);
          ch.connect(new InetSocketAddress(tollgate.getHost(), tollgate.getPort()));
          ch.register(selector, SelectionKey.OP_CONNECT, new int[] {0});
          channels.add(ch);
          launched++;
        }
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel ch = (SocketChannel) key.channel();
          int[] state = (int[]) key.attachment();
          try {
            if (key.isConnectable() && ch.finishConnect()) {
              ch.write(ByteBuffer.wrap(request));
              key.interestOps(SelectionKey.OP_READ);
            } else if (key.isReadable()) {
              buf.clear();
              int n = ch.read(buf);
              if (n > 0 && state[0] == 0) {
                buf.flip();
                byte[] head = new byte[Math.min(12, buf.remaining())];
                buf.get(head);
                boolean ok = new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
                state[0] = ok ? 1 : 2;
                if (ok) {
                  open++;
                } else {
                  failed++;
                }
              } else if (n < 0) {
                key.cancel();
                if (state[0] == 0) {
                  failed++;
                } else if (state[0] == 1) {
                  open--; // an open stream was cut: it no longer counts
                  failed++;
                }
                state[0] = 2;
              }
            }
          } catch (IOException e) {
            key.cancel();
            if (state[0] == 1) {
              open--;
            }
            if (state[0] != 2) {
              failed++;
            }
            state[0] = 2;
          }
        }
        selector.selectedKeys().clear();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long heap = heapAfterGc(pid);
      long rss = rss(pid);
      return new Result(streams, open, failed, heap, rss, seconds);
    } finally {
      for (SocketChannel ch : channels) {
        ch.close();
      }
    }
  }

  private static long heapAfterGc(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    run(jcmd, Long.toString(pid), "GC.run");
    String info = run(jcmd, Long.toString(pid), "GC.heap_info");
    // e.g. " garbage-first heap   total 131072K, used 48213K [...]"
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  private static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
