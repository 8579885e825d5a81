package dev.tollgate.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own WebSocket client, collecting whole text messages; {@code autoRequest} off means it
 * reads only as many messages as {@link #request} asks for (the JDK then stops reading the socket).
 */
public final class WsClient implements WebSocket.Listener {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<int[]> closed = new CompletableFuture<>();
  final CompletableFuture<String> closeReason = new CompletableFuture<>();
  final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
  private final boolean autoRequest;
  private final StringBuilder partial = new StringBuilder();
  final java.util.concurrent.atomic.AtomicInteger partials =
      new java.util.concurrent.atomic.AtomicInteger();
  WebSocket socket;

  private WsClient(boolean autoRequest) {
    this.autoRequest = autoRequest;
  }

  public static WsClient open(URI uri, Map<String, String> headers, String... subprotocols)
      throws Exception {
    return open(uri, headers, true, subprotocols);
  }

  public static WsClient open(
      URI uri, Map<String, String> headers, boolean autoRequest, String... sub) throws Exception {
    WsClient c = new WsClient(autoRequest);
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    headers.forEach(b::header);
    if (sub.length > 0) {
      b.subprotocols(sub[0], java.util.Arrays.copyOfRange(sub, 1, sub.length));
    }
    c.socket = b.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
    return c;
  }

  public void send(String text) throws Exception {
    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
  }

  /** The next whole message, waiting up to 10 s. */
  public String next() throws InterruptedException {
    String m = messages.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 10 s");
    }
    return m;
  }

  /** Messages up to and including the first whose text contains {@code marker}. */
  public java.util.List<String> until(String marker) throws InterruptedException {
    java.util.List<String> got = new java.util.ArrayList<>();
    String m;
    do {
      m = next();
      got.add(m);
    } while (!m.contains(marker));
    return got;
  }

  /** The answer to an upgrade the server refused; fails the test if it was accepted. */
  public static java.net.http.HttpResponse<?> refusal(URI uri, Map<String, String> headers)
      throws Exception {
    try {
      open(uri, headers).abort();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        return refused.getResponse();
      }
      throw e;
    }
    throw new AssertionError("the upgrade to " + uri + " was accepted");
  }

  /** Drops the connection without a close frame. */
  public void abort() {
    socket.abort();
  }

  void request(long n) {
    socket.request(n);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(autoRequest ? Long.MAX_VALUE : 1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (!last) {
      partials.incrementAndGet();
    }
    partial.append(data);
    if (last) {
      messages.add(partial.toString());
      partial.setLength(0);
    }
    if (!autoRequest) {
      return null; // the test asks for more
    }
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    pongs.add(message);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason.complete(reason);
    closed.complete(new int[] {statusCode});
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new int[] {-1});
  }
}
