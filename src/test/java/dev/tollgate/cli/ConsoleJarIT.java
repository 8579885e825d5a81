package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28 through the packaged jar: the console's files (and uPlot's) are in it and served with
 * the CSP, a viewer issued by {@code java -jar tollgate.jar viewers new} signs in, {@code export
 * focus} writes its file, and neither token ever reaches the logs.
 */
class ConsoleJarIT {
  @TempDir Path dir;

  private int run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                ServeJarIT.JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve("cli-out.txt").toFile())
            .redirectError(dir.resolve("cli-err.txt").toFile());
    pb.environment().put("TOLLGATE_DATA_DIR", dir.resolve("data").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void theJarServesTheConsoleAndExportsFocus() throws Exception {
    String config = Path.of("config/tollgate.yaml").toAbsolutePath().toString();
    String adminToken = "jar-admin-token-never-logged";
    assertThat(run(Map.of(), "viewers", "new", "finance", "--all", "--config", config)).isZero();
    String viewer = Files.readString(dir.resolve("cli-out.txt")).trim();
    assertThat(viewer).startsWith("tgv-");

    int port = ServeJarIT.freePort();
    int admin = ServeJarIT.freePort();
    Process p =
        ServeJarIT.start(
            dir,
            Map.of(
                "TOLLGATE_PORT",
                "" + port,
                "TOLLGATE_ADMIN_PORT",
                "" + admin,
                "TOLLGATE_ADMIN_TOKEN",
                adminToken,
                "TOLLGATE_UPSTREAM_URL",
                "http://127.0.0.1:9"),
            "--config",
            config);
    try {
      ServeJarIT.awaitReady(admin);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + admin;
      for (String path :
          List.of(
              "/console/",
              "/console/app.js",
              "/console/pages.js",
              "/console/app.css",
              "/console/vendor/uPlot.iife.min.js",
              "/console/vendor/uPlot.min.css")) {
        var r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("content-security-policy")).as(path).isPresent();
        assertThat(r.body().isBlank()).as(path).isFalse();
        if (!path.contains("/vendor/")) {
          // Our own files name no other host (uPlot's carry only its licence's URL, in a comment).
          assertThat(r.body().contains("http://") || r.body().contains("https://"))
              .as(path + " names another host")
              .isFalse();
        }
      }
      var signIn =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/console/session"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + viewer + "\"}"))
                  .build(),
              BodyHandlers.ofString());
      assertThat(signIn.statusCode()).isEqualTo(200);
      assertThat(signIn.body()).contains("\"role\":\"viewer\"").contains("\"name\":\"finance\"");
      String cookie = signIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
      var spend =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/admin/spend?group_by=team"))
                  .header("Cookie", cookie)
                  .build(),
              BodyHandlers.ofString());
      assertThat(spend.statusCode()).isEqualTo(200);
      var focus =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/admin/export/focus"))
                  .header("Authorization", "Bearer " + viewer)
                  .build(),
              BodyHandlers.ofString());
      assertThat(focus.statusCode()).isEqualTo(200);
      assertThat(focus.body()).startsWith("AvailabilityZone,BilledCost,");
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    Path out = dir.resolve("focus.csv");
    assertThat(run(Map.of(), "export", "focus", "--config", config, "--out", out.toString()))
        .isZero();
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).startsWith("AvailabilityZone,");
    assertThat(run(Map.of(), "export", "focus", "--config", config, "--focus-version", "1.4"))
        .isEqualTo(2);
    assertThat(Files.readString(dir.resolve("cli-err.txt"))).contains("FOCUS version 1.4");
    String logs =
        Files.readString(dir.resolve("stdout.txt")) + Files.readString(dir.resolve("stderr.txt"));
    assertThat(logs).doesNotContain(viewer).doesNotContain(adminToken);
  }
}
