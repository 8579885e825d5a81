package dev.tollgate.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the scripts under src/test/node with the official openai npm SDK. */
public final class NodeSdk {
  public static final Path NODE_DIR = Path.of("src/test/node");
  static final ObjectMapper JSON = new ObjectMapper();

  private NodeSdk() {}

  /** Skips (with a printed reason) when the SDK is not installed; under CI=true, fails instead. */
  static void assumeInstalled(String test) {
    assumeInstalled(test, "openai");
  }

  /** As above, for the npm package {@code name} (e.g. {@code @anthropic-ai/sdk}). */
  public static void assumeInstalled(String test, String name) {
    if (Files.isRegularFile(NODE_DIR.resolve("node_modules/" + name + "/package.json"))) {
      return;
    }
    String reason =
        name + " npm SDK not installed: run `npm ci --prefix src/test/node` (.ci/run does)";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(reason);
    }
    System.out.println("SKIPPED " + test + ": " + reason);
    Assumptions.abort(reason);
  }

  /** Runs {@code script} with {@code baseUrl} and returns the JSON it printed. */
  static JsonNode run(String script, String baseUrl) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", script, baseUrl).directory(NODE_DIR.toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("node %s exited; stderr: %s", script, err).isZero();
    return JSON.readTree(out);
  }

  static String fixture(String name) throws IOException {
    try (InputStream in = NodeSdk.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
