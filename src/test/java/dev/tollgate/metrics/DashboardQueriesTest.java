package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PromQL expression in grafana/dashboards, run against a real Prometheus that scraped a real
 * Tollgate after a realistic mix of calls: each must be valid and return at least one series.
 */
class DashboardQueriesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([^,]+),\\s*(\\w+)\\)");
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  static Path prometheusBinary() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, "prometheus");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String reason = "prometheus is not installed (apt-get install -y prometheus; .ci/run does)";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(reason);
    }
    System.out.println("SKIPPED DashboardQueriesTest: " + reason);
    Assumptions.abort(reason);
    return null;
  }

  /** Every panel expression and variable query, with Grafana's variables filled in. */
  static Map<String, String> expressions() throws Exception {
    Map<String, String> exprs = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(Path.of("grafana/dashboards"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        JsonNode d = JSON.readTree(f.toFile());
        for (JsonNode panel : d.get("panels")) {
          for (JsonNode t : panel.path("targets")) {
            exprs.put(
                f.getFileName()
                    + " / "
                    + panel.get("title").asText()
                    + " / "
                    + t.get("refId").asText(),
                fill(t.get("expr").asText()));
          }
        }
        for (JsonNode v : d.at("/templating/list")) {
          Matcher m = LABEL_VALUES.matcher(v.path("definition").asText());
          if (m.matches()) {
            exprs.put(
                f.getFileName() + " / variable " + v.get("name").asText(),
                "count by (" + m.group(2) + ") (" + m.group(1) + ")");
          }
        }
      }
    }
    return exprs;
  }

  static String fill(String expr) {
    return expr.replace("$team", ".*")
        .replace("$model", ".*")
        .replace("$__rate_interval", "20s")
        .replace("$__range", "2m");
  }

  static RawUpstream upstream() throws Exception {
    return new RawUpstream(
        c -> {
          RawUpstream.Request r;
          while ((r = c.readRequest()) != null) {
            JsonNode req = JSON.readTree(r.body());
            String model = req.get("model").asText();
            if (model.equals("busy-model")) {
              String err =
                  "{\"error\":{\"message\":\"Rate limit\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
              c.writeJson("429 Too Many Requests", err);
              continue;
            }
            String usage =
                model.equals("no-usage")
                    ? ""
                    : ",\"usage\":{\"prompt_tokens\":3000,\"completion_tokens\":400,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":2048},\"completion_tokens_details\":{\"reasoning_tokens\":250}}";
            String body =
                "{\"model\":\""
                    + (model.equals("no-usage") ? "gpt-4o" : model)
                    + "\",\"service_tier\":\""
                    + req.path("service_tier").asText("default")
                    + "\",\"choices\":[{\"message\":{\"content\":\"hello there\"}}]"
                    + usage
                    + "}";
            c.writeJson("200 OK", body);
          }
        });
  }

  @Test
  void everyDashboardQueryIsValidAndReturnsData() throws Exception {
    Path prometheus = prometheusBinary();
    int promPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      promPort = s.getLocalPort();
    }
    Path overrides = dir.resolve("prices.yaml");
    Files.writeString(overrides, "models: {}\n");
    Path budgets = dir.resolve("budgets.yaml");
    Files.writeString(
        budgets, "- {name: search-month, scope: 'team:search', limit_usd: 100, period: month}\n");
    try (RawUpstream upstream = upstream();
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "usage: {catalog: '"
                    + overrides
                    + "', catalog_reload_interval: 100ms}\nbudgets: {file: '"
                    + budgets
                    + "', sync_interval: 200ms}")) {
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          "global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n"
              + "  - job_name: tollgate\n    metrics_path: /metrics\n    static_configs: [{targets: ['127.0.0.1:"
              + t.adminPort()
              + "']}]\n");
      Process p =
          new ProcessBuilder(
                  prometheus.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        String base = "http://127.0.0.1:" + promPort;
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () ->
                    http.send(
                                HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                                BodyHandlers.ofString())
                            .statusCode()
                        == 200);
        try (RawClient c = new RawClient(t.port())) {
          for (int round = 0; round < 3; round++) {
            call(c, "search", "{\"model\":\"o3\"}");
            call(c, "ads", "{\"model\":\"o3\",\"service_tier\":\"flex\"}");
            call(c, "ads", "{\"model\":\"gpt-4o-mini\"}");
            call(c, "research", "{\"model\":\"acme-llm-7b\"}");
            call(
                c,
                "research",
                "{\"model\":\"no-usage\",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}");
            call(c, "search", "{\"model\":\"busy-model\"}");
            Thread.sleep(1500);
          }
        }
        // A price for acme-llm-7b arrives late: its calls are repriced, for the corrections panel.
        Files.writeString(
            overrides,
            "models: {acme-llm-7b: {versions: [{from: 2025-01-01, input: 1, output: 1}]}}\n");
        Files.setLastModifiedTime(
            overrides,
            java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        // Wait until Prometheus holds the estimated call too (it is priced off the event loop).
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    !result(base, "tollgate_estimated_requests_total").isEmpty()
                        && !result(base, "tollgate_repriced_usd_total").isEmpty());
        Thread.sleep(3000); // a few more scrapes, so every rate() window holds two samples or more

        Map<String, String> exprs = expressions();
        assertThat(exprs).hasSizeGreaterThan(20);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> e : exprs.entrySet()) {
          JsonNode r = query(base, e.getValue());
          if (!"success".equals(r.path("status").asText())) {
            failures.add(
                e.getKey() + ": invalid: " + r.path("error").asText() + " -- " + e.getValue());
          } else if (r.at("/data/result").isEmpty()) {
            failures.add(e.getKey() + ": no series -- " + e.getValue());
          }
        }
        assertThat(failures).isEmpty();
      } finally {
        p.destroy();
        p.waitFor();
      }
    }
  }

  static void call(RawClient c, String team, String json) throws Exception {
    c.send(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Tollgate-Team: "
                + team
                + "\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n"
                + json)
        .readResponse();
  }

  JsonNode query(String base, String expr) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/v1/query?query="
                            + URLEncoder.encode(expr, StandardCharsets.UTF_8)))
                .build(),
            BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  JsonNode result(String base, String expr) throws Exception {
    return query(base, expr).at("/data/result");
  }
}
