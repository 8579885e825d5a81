package dev.tollgate.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal keep-alive HTTP/1.1 client on a blocking socket: the least client-side overhead, so the
 * difference between two targets is the targets'. Reads Content-Length and chunked bodies.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(URI base) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    socket.setSoTimeout(60_000);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
  }

  static byte[] post(URI base, String path, String body, String... headers) {
    StringBuilder r =
        new StringBuilder("POST ")
            .append(base.getPath())
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(base.getHost())
            .append(':')
            .append(base.getPort())
            .append("\r\nContent-Type: application/json\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    r.append("Content-Length: ").append(b.length).append("\r\n\r\n").append(body);
    return r.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Sends a request and reads the whole response; returns the status code. */
  int call(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    Head head = head();
    if (head.chunked) {
      while (chunk() != null) {
        // drain
      }
    } else {
      in.skipNBytes(head.length);
    }
    return head.status;
  }

  /** Sends a streaming request; returns System.nanoTime() at each SSE data line's arrival. */
  List<Long> stream(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    Head head = head();
    if (head.status != 200 || !head.chunked) {
      throw new IOException("expected a chunked 200 stream, got " + head.status);
    }
    List<Long> arrivals = new ArrayList<>();
    byte[] data;
    while ((data = chunk()) != null) {
      long now = System.nanoTime();
      String text = new String(data, StandardCharsets.UTF_8);
      int at = -1;
      while ((at = text.indexOf("data: ", at + 1)) >= 0) {
        arrivals.add(now);
      }
    }
    return arrivals;
  }

  private record Head(int status, boolean chunked, long length) {}

  private Head head() throws IOException {
    String line = line();
    int status = Integer.parseInt(line.substring(9, 12));
    boolean chunked = false;
    long length = 0;
    while (!(line = line()).isEmpty()) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    return new Head(status, chunked, length);
  }

  /** One chunk's data, or null after the last (zero-length) chunk. */
  private byte[] chunk() throws IOException {
    int size = Integer.parseInt(line().split(";")[0].trim(), 16);
    if (size == 0) {
      line();
      return null;
    }
    byte[] data = in.readNBytes(size);
    line();
    return data;
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c == -1 && b.size() == 0) {
      throw new IOException("connection closed");
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
