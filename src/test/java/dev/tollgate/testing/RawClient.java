package dev.tollgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client on a plain socket, for requests an HTTP library will not send (absolute-form, odd
 * headers).
 */
public final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  public RawClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
  }

  public RawClient send(String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return this;
  }

  /** The response head, up to and including the blank line. */
  public String readHead() throws IOException {
    return RawUpstream.readHead(in);
  }

  /**
   * Reads one response (Content-Length or chunked body); returns head and decoded body together.
   */
  public String readResponse() throws IOException {
    String head = readHead();
    int length = 0;
    boolean chunked = false;
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase();
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    if (!chunked) {
      return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String sizeLine;
    while ((sizeLine = readLine()) != null) {
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        readLine(); // the blank line after the last chunk (no trailers here)
        break;
      }
      body.write(in.readNBytes(size));
      readLine();
    }
    return head + body.toString(StandardCharsets.UTF_8);
  }

  /** One CRLF-terminated line, without the CRLF; null at end of stream. */
  public String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] a = line.toByteArray();
        int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
        return new String(a, 0, n, StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  /** Everything until the server closes the connection (or the read times out). */
  public String readToEnd() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    try {
      while ((n = in.read(buf)) != -1) {
        out.write(buf, 0, n);
      }
    } catch (java.net.SocketException e) {
      // a reset ends the stream too
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  public InputStream input() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
