package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 5's acceptance: /metrics agrees with the ledger to the digit, and stays bounded. */
class MetricsIntegrationTest {
  static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{(.*)\\} (\\S+)$");
  static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
  final HttpClient http = HttpClient.newHttpClient();

  /** The upstream echoes the requested model, with usage chosen by the request's "size". */
  static RawUpstream upstream() throws Exception {
    return new RawUpstream(
        c -> {
          RawUpstream.Request r;
          while ((r = c.readRequest()) != null) {
            JsonNode req = new ObjectMapper().readTree(r.body());
            String body =
                "{\"model\":\""
                    + req.get("model").asText()
                    + "\",\"service_tier\":\""
                    + req.path("service_tier").asText("default")
                    + "\",\"usage\":{\"prompt_tokens\":"
                    + req.path("in").asInt(1000)
                    + ",\"completion_tokens\":"
                    + req.path("out").asInt(100)
                    + ",\"prompt_tokens_details\":{\"cached_tokens\":"
                    + req.path("cached").asInt(0)
                    + "},"
                    + "\"completion_tokens_details\":{\"reasoning_tokens\":"
                    + req.path("reasoning").asInt(0)
                    + "}}}";
            c.writeJson("200 OK", body);
          }
        });
  }

  static void call(RawClient c, String team, String json) throws Exception {
    c.send(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Tollgate-Team: "
                + team
                + "\r\nContent-Length: "
                + json.length()
                + "\r\n\r\n"
                + json)
        .readResponse();
  }

  /** metric name → list of (labels, value). */
  static Map<String, List<Map.Entry<Map<String, String>, BigDecimal>>> parse(String text) {
    Map<String, List<Map.Entry<Map<String, String>, BigDecimal>>> out = new HashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (m.matches()) {
        Map<String, String> labels = new HashMap<>();
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
        out.computeIfAbsent(m.group(1), k -> new java.util.ArrayList<>())
            .add(Map.entry(labels, new BigDecimal(m.group(3))));
      }
    }
    return out;
  }

  String scrape(TestTollgate t) throws Exception {
    return http.send(
            HttpRequest.newBuilder(t.adminUri("/metrics")).build(), BodyHandlers.ofString())
        .body();
  }

  @Test
  void costCountersSumExactlyToTheLedgerPerModelAndTeam() throws Exception {
    try (RawUpstream upstream = upstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl());
        RawClient c = new RawClient(t.port())) {
      call(
          c,
          "search",
          "{\"model\":\"o3\",\"in\":2000,\"cached\":1024,\"out\":500,\"reasoning\":300}");
      call(
          c,
          "search",
          "{\"model\":\"o3\",\"service_tier\":\"flex\",\"in\":10000,\"cached\":8000,\"out\":2000}");
      call(c, "ads", "{\"model\":\"gpt-4o-mini\",\"in\":1234,\"cached\":1024,\"out\":77}");
      call(c, "ads", "{\"model\":\"gpt-4o-mini\",\"in\":999,\"out\":3}");
      call(c, "ads", "{\"model\":\"o3\",\"in\":7,\"out\":7}");

      String today = LocalDate.now(ZoneOffset.UTC).toString();
      String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
      JsonNode[] spend = new JsonNode[1];
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                spend[0] =
                    new ObjectMapper()
                        .readTree(
                            http.send(
                                    HttpRequest.newBuilder(
                                            t.adminUri(
                                                "/admin/spend?group_by=team,model&from="
                                                    + today
                                                    + "&to="
                                                    + tomorrow))
                                        .build(),
                                    BodyHandlers.ofString())
                                .body());
                return spend[0].at("/rows").size() == 3;
              });
      Map<String, BigDecimal> ledger = new HashMap<>();
      spend[0]
          .get("rows")
          .forEach(
              r ->
                  ledger.put(
                      r.get("team").asText() + "/" + r.get("model").asText(),
                      new BigDecimal(r.get("cost_usd").asText())));

      var metrics = parse(scrape(t));
      Map<String, BigDecimal> fromMetrics = new HashMap<>();
      for (var sample : metrics.get("tollgate_cost_usd_total")) {
        fromMetrics.merge(
            sample.getKey().get("team") + "/" + sample.getKey().get("model"),
            sample.getValue(),
            BigDecimal::add);
      }
      assertThat(fromMetrics.keySet()).isEqualTo(ledger.keySet());
      ledger.forEach((k, v) -> assertThat(fromMetrics.get(k)).as(k).isEqualByComparingTo(v));
      assertThat(ledger.get("search/o3")).isEqualByComparingTo("0.018464"); // 0.006464 + 0.012

      Map<String, BigDecimal> tokens = new HashMap<>();
      for (var sample : metrics.get("tollgate_tokens_total")) {
        if (sample.getKey().get("team").equals("ads")
            && sample.getKey().get("model").equals("gpt-4o-mini")) {
          tokens.merge(sample.getKey().get("kind"), sample.getValue(), BigDecimal::add);
        }
      }
      // Disjoint kinds: input excludes the cached part, output excludes reasoning.
      assertThat(tokens.get("input")).isEqualByComparingTo("1209"); // (1234 - 1024) + 999
      assertThat(tokens.get("cached_input")).isEqualByComparingTo("1024");
      assertThat(tokens.get("output")).isEqualByComparingTo("80");

      BigDecimal flexSaved =
          metrics.get("tollgate_savings_usd_total").stream()
              .filter(s -> s.getKey().get("source").equals("flex"))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElseThrow();
      assertThat(flexSaved).isEqualByComparingTo("0.012");
    }
  }

  @Test
  void tenThousandMadeUpModelNamesDoNotGrowTheSeries() throws Exception {
    try (RawUpstream upstream = upstream();
        TestTollgate t = TestTollgate.start(upstream.baseUrl())) {
      Thread[] clients = new Thread[4];
      for (int k = 0; k < clients.length; k++) {
        int offset = k;
        clients[k] =
            new Thread(
                () -> {
                  try (RawClient c = new RawClient(t.port())) {
                    for (int i = offset; i < 10_000; i += 4) {
                      call(
                          c,
                          "team-" + (i % 500),
                          "{\"model\":\"made-up-model-" + i + "\",\"in\":10,\"out\":1}");
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        clients[k].start();
      }
      for (Thread c : clients) {
        c.join(120_000);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  parse(scrape(t)).get("tollgate_requests_total").stream()
                          .mapToLong(s -> s.getValue().longValue())
                          .sum()
                      == 10_000);
      var metrics = parse(scrape(t));
      Set<String> models = new HashSet<>();
      Set<String> teams = new HashSet<>();
      for (var named : metrics.entrySet()) {
        for (var s : named.getValue()) {
          // The unpriced counter names some models on purpose; the reconciliation gauge's come
          // from the provider's bill, not from what clients send.
          if (s.getKey().containsKey("model")
              && !named.getKey().equals("tollgate_unpriced_requests_total")
              && !named.getKey().equals("tollgate_reconcile_drift_usd")) {
            models.add(s.getKey().get("model"));
          }
          if (s.getKey().containsKey("team")) {
            teams.add(s.getKey().get("team"));
          }
        }
      }
      assertThat(models).containsExactly("other");
      assertThat(teams).hasSize(201).contains("other"); // metrics.max_teams = 200, then "other"
      assertThat(metrics.get("tollgate_requests_total")).hasSizeLessThanOrEqualTo(201);
      // The unpriced counter names the first metrics.max_unpriced_models (100) models, then other.
      var unpriced = metrics.get("tollgate_unpriced_requests_total");
      assertThat(unpriced).hasSize(101);
      assertThat(unpriced.stream().map(u -> u.getKey().get("model")))
          .contains("other")
          .filteredOn(m -> !m.equals("other"))
          .allMatch(m -> m.startsWith("made-up-model-"));
      assertThat(unpriced.stream().mapToLong(u -> u.getValue().longValue()).sum())
          .isEqualTo(10_000);
    }
  }
}
