package dev.tollgate.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients calling one chat endpoint until stopped, each on its own connection, keeping every
 * answered call's request id and when its answer arrived: what a ledger must hold afterwards.
 */
public final class CallLoad implements AutoCloseable {
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> clients = new ArrayList<>();
  private final Map<String, Long> answered = new ConcurrentHashMap<>();

  /**
   * @param pauseMillis between one client's calls (0: back to back)
   */
  public CallLoad(URI chat, int clients, long pauseMillis) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request =
        HttpRequest.newBuilder(chat)
            .header("Authorization", "Bearer sk-test")
            .POST(
                HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}"))
            .build();
    for (int i = 0; i < clients; i++) {
      Thread t =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try {
                    var r = http.send(request, BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                      answered.put(
                          r.headers().firstValue("x-tollgate-request-id").orElseThrow(),
                          System.nanoTime());
                    }
                    if (pauseMillis > 0) {
                      Thread.sleep(pauseMillis);
                    }
                  } catch (IOException | InterruptedException e) {
                    return; // the server went away, or the test is over
                  }
                }
              },
              "call-load-" + i);
      t.start();
      this.clients.add(t);
    }
  }

  /** Each answered call's request id, with {@link System#nanoTime} when its answer arrived. */
  public Map<String, Long> answered() {
    return answered;
  }

  /** Stops the clients and waits for each one's call in flight to end. */
  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : clients) {
      t.join(10_000);
    }
  }
}
