package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a real process: start-up errors, and SIGTERM while a stream is open. */
class ServeJarIT {
  static final Path JAR = Path.of(System.getProperty("tollgate.jar", "target/tollgate.jar"));
  @TempDir Path dir;

  /**
   * Starts the packaged jar with {@code args}; its output goes to {@code dir}/stdout.txt and
   * stderr.txt and its data to {@code dir}/data unless {@code env} says otherwise.
   */
  static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment()
        .put("TOLLGATE_DATA_DIR", dir.resolve("data").toString()); // never the checkout's ./data
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Waits until the admin port on {@code adminPort} says ready. */
  static void awaitReady(int adminPort) {
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
                                .build(),
                            BodyHandlers.ofString())
                        .statusCode()
                    == 200);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aMisspeltKeyExitsWithCode2AndOneLineNamingIt() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "server:\n  prot: 8080\n");
    Process p = start(dir, Map.of(), "serve", "--config", config.toString());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("stderr.txt")))
        .isEqualTo("tollgate: server.prot: unknown key\n");
  }

  @Test
  void aPortAlreadyInUseIsOneLineNamingTheSettingAndExitCode2() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Process p =
          start(
              dir,
              Map.of(
                  "TOLLGATE_PORT",
                  "" + taken.getLocalPort(),
                  "TOLLGATE_ADMIN_PORT",
                  "" + freePort()),
              "serve");
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(2);
      assertThat(Files.readString(dir.resolve("stderr.txt")))
          .isEqualTo(
              "tollgate: server.port "
                  + taken.getLocalPort()
                  + " is already in use (on 0.0.0.0)\n");
    }
  }

  @Test
  void aMissingConfigFileExitsWithCode2() throws Exception {
    Process p = start(dir, Map.of(), "--config", dir.resolve("absent.yaml").toString());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("stderr.txt")))
        .startsWith("tollgate: config file not found:")
        .contains("absent.yaml");
  }

  @Test
  void sigtermLetsAnOpenStreamFinishAndExitsZero() throws Exception {
    try (RawUpstream upstream =
        new RawUpstream(
            c -> {
              c.readRequest();
              c.write(
                  "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
              for (int i = 0; i < 10; i++) {
                c.chunk("data: {\"i\":" + i + "}\n\n");
                Thread.sleep(100);
              }
              c.chunk("data: [DONE]\n\n");
              c.endChunks();
            })) {
      int port = freePort();
      int admin = freePort();
      Process p =
          start(
              dir,
              Map.of(
                  "TOLLGATE_PORT",
                  "" + port,
                  "TOLLGATE_ADMIN_PORT",
                  "" + admin,
                  "TOLLGATE_UPSTREAM_URL",
                  upstream.baseUrl()),
              "serve",
              "--config",
              Path.of("config/tollgate.yaml").toAbsolutePath().toString());
      try {
        awaitReady(admin);
        try (RawClient client = new RawClient(port)) {
          client.send(
              "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\n\r\n{\"stream\": true}");
          assertThat(client.readHead()).startsWith("HTTP/1.1 200");
          p.destroy(); // SIGTERM
          String rest = client.readToEnd();
          assertThat(rest)
              .contains("data: {\"i\":9}")
              .contains("data: [DONE]")
              .endsWith("0\r\n\r\n");
        }
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("stdout.txt")))
            .contains("tollgate.access")
            .contains("status=200")
            // The access line's own encoder writes what the text pattern writes.
            .containsPattern(
                "(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  tollgate\\.access"
                    + " id=\\S+ method=POST path=/v1/chat/completions status=200 .* outcome=\\w+$");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void jsonLoggingWritesOneObjectPerLineWithAccessFields() throws Exception {
    try (RawUpstream upstream =
        new RawUpstream(
            c -> {
              c.readRequest();
              c.write(
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            })) {
      int port = freePort();
      int admin = freePort();
      Process p =
          start(
              dir,
              Map.of(
                  "TOLLGATE_PORT",
                  "" + port,
                  "TOLLGATE_ADMIN_PORT",
                  "" + admin,
                  "TOLLGATE_UPSTREAM_URL",
                  upstream.baseUrl(),
                  "TOLLGATE_LOG_FORMAT",
                  "json"),
              "--config",
              Path.of("config/tollgate.yaml").toAbsolutePath().toString());
      try {
        awaitReady(admin);
        HttpClient http = HttpClient.newHttpClient();
        var r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/embeddings"))
                    .header("Authorization", "Bearer sk-secret-never-logged")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}"))
                    .build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      } finally {
        p.destroyForcibly();
      }
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("stdout.txt"))) {
        lines.add(json.readTree(line)); // every line must be a JSON object
      }
      assertThat(lines)
          .anySatisfy(
              l -> {
                assertThat(l.path("logger_name").asText()).isEqualTo("tollgate.access");
                assertThat(l.path("method").asText()).isEqualTo("POST");
                assertThat(l.path("path").asText()).isEqualTo("/v1/embeddings");
                assertThat(l.path("status").asInt()).isEqualTo(200);
                assertThat(l.path("model").asText()).isEqualTo("text-embedding-3-small");
                // Numbers are JSON numbers, so a log pipeline can sum them without parsing.
                assertThat(l.path("total_ms").isNumber()).as("total_ms %s", l).isTrue();
                assertThat(l.path("upstream_ms").isNumber()).as("upstream_ms %s", l).isTrue();
                assertThat(l.path("input_tokens").isNumber()).as("input_tokens %s", l).isTrue();
                assertThat(l.path("reasoning_tokens").isNumber()).as("reasoning %s", l).isTrue();
                assertThat(l.path("cost_usd").isNumber()).as("cost_usd %s", l).isTrue();
              });
      assertThat(Files.readString(dir.resolve("stdout.txt")))
          .doesNotContain("sk-secret-never-logged");
    }
  }
}
