package dev.tollgate.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.server.TollgateServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** A real Tollgate server on loopback ports chosen by the OS, configured from YAML snippets. */
public final class TestTollgate implements AutoCloseable {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASE =
      """
      server: {bind: 127.0.0.1, port: 0}
      admin: {bind: 127.0.0.1, port: 0}
      logging: {access_log: true}
      pricing: {sync: off}
      """;

  private final TollgateServer server;
  private final Path dataDir;

  private TestTollgate(TollgateServer server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  /** Starts Tollgate in front of {@code upstreamUrl}; {@code yaml} overrides any other key. */
  public static TestTollgate start(String upstreamUrl, String yaml) {
    try {
      ObjectNode tree = (ObjectNode) YAML.readTree(BASE);
      // Each server gets its own ledger unless the test names one.
      Path dataDir = Files.createTempDirectory("tollgate-test-");
      merge(
          tree,
          (ObjectNode)
              YAML.readTree("upstream: {url: '" + upstreamUrl + "'}\ndata_dir: '" + dataDir + "'"));
      if (yaml != null && !yaml.isBlank()) {
        merge(tree, (ObjectNode) YAML.readTree(yaml));
      }
      TollgateConfig config = new ConfigLoader(Map.of()).fromTree(tree);
      return new TestTollgate(new TollgateServer(config).start(), config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static TestTollgate start(String upstreamUrl) {
    return start(upstreamUrl, null);
  }

  public int port() {
    return server.port();
  }

  public int adminPort() {
    return server.adminPort();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  public URI adminUri(String path) {
    return URI.create("http://127.0.0.1:" + adminPort() + path);
  }

  public TollgateServer server() {
    return server;
  }

  /** Where this server's ledger lives. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * The recorded calls, newest first, once {@code /admin/calls} lists at least {@code atLeast} of
   * them (the ledger writes in the background; waits up to 10 s).
   */
  public List<JsonNode> awaitCalls(int atLeast) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(adminUri("/admin/calls?limit=100")).build();
    AtomicReference<List<JsonNode>> calls = new AtomicReference<>(List.of());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              List<JsonNode> now = new ArrayList<>();
              JSON.readTree(http.send(request, BodyHandlers.ofString()).body())
                  .get("calls")
                  .forEach(now::add);
              calls.set(now);
              return now.size() >= atLeast;
            });
    return calls.get();
  }

  @Override
  public void close() {
    server.close();
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
        merge(o, n);
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }
}
