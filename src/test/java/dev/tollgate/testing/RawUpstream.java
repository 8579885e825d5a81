package dev.tollgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake upstream on a plain socket, for what a mock server cannot do exactly: timed SSE frames,
 * resets mid-body, counting connections. Each accepted connection runs {@link Script} on its own
 * thread; the script reads requests and writes raw bytes.
 */
public final class RawUpstream implements AutoCloseable {
  /** What the fake does with one connection. */
  @FunctionalInterface
  public interface Script {
    void run(Connection c) throws Exception;
  }

  private final ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();
  private final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

  public RawUpstream(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> acceptLoop(script), "raw-upstream-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
  }

  public int connections() {
    return connections.get();
  }

  /** Exceptions the script threw (a write to a closed client, for instance). */
  public ConcurrentLinkedQueue<Throwable> errors() {
    return errors;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void acceptLoop(Script script) {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread t =
            new Thread(
                () -> {
                  try (s) {
                    script.run(new Connection(s));
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                },
                "raw-upstream-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  /** One accepted connection. */
  public static final class Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    public Socket socket() {
      return socket;
    }

    /** Reads one request (head and Content-Length body); null when the client closed first. */
    public Request readRequest() throws IOException {
      String head = readHead(in);
      if (head == null) {
        return null;
      }
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      return new Request(head, new String(body, StandardCharsets.UTF_8));
    }

    public void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** Writes a whole JSON response with its Content-Length; {@code status} as "200 OK". */
    public void writeJson(String status, String body) throws IOException {
      byte[] data = body.getBytes(StandardCharsets.UTF_8);
      write(
          "HTTP/1.1 "
              + status
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + data.length
              + "\r\n\r\n"
              + body);
    }

    /** Writes one chunk of a chunked body and flushes it. */
    public void chunk(String text) throws IOException {
      byte[] data = text.getBytes(StandardCharsets.UTF_8);
      out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(data);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    public void endChunks() throws IOException {
      write("0\r\n\r\n");
    }

    /** Closes with a TCP reset instead of an orderly FIN. */
    public void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }
  }

  /** A request as the fake received it. */
  public record Request(String head, String body) {
    public String requestLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      buf.write(b);
      int n = buf.size();
      byte[] a = buf.toByteArray();
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return buf.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }
}
