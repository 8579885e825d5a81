package dev.tollgate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.tollgate.attribution.Keys;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 4's acceptance: attributed calls come out of the ledger to the exact decimal. */
class ChargebackIntegrationTest {
  static final String VIRTUAL_KEY = "tg-chargebackTEST00000000000000000000000001";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MINI =
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],"
          + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500}}"; // 1000 x 0.15 + 500 x
  // 0.60 = 0.00045
  static final String O3 =
      "{\"id\":\"c2\",\"object\":\"chat.completion\",\"model\":\"o3-2025-04-16\",\"choices\":[],"
          + "\"usage\":{\"prompt_tokens\":2000,\"completion_tokens\":500,\"prompt_tokens_details\":{\"cached_tokens\":1024},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":300}}}"; // 0.006464

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  final List<String> upstreamHeads = new CopyOnWriteArrayList<>();
  final String today = LocalDate.now(ZoneOffset.UTC).toString();
  final String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
  Path keys;

  @BeforeEach
  void keysFile() throws Exception {
    keys = dir.resolve("keys.yaml");
    Files.writeString(
        keys,
        "- name: search-prod\n  sha256: "
            + Keys.sha256(VIRTUAL_KEY)
            + "\n  team: search\n  project: ranking\n");
  }

  RawUpstream upstream() throws Exception {
    return new RawUpstream(
        c -> {
          RawUpstream.Request r;
          while ((r = c.readRequest()) != null) {
            upstreamHeads.add(r.head());
            String body = r.body().contains("\"o3\"") ? O3 : MINI;
            c.writeJson("200 OK", body);
          }
        });
  }

  TestTollgate start(RawUpstream upstream, String extra) {
    return TestTollgate.start(
        upstream.baseUrl(),
        "data_dir: '"
            + dir.resolve("data")
            + "'\n"
            + "upstream: {api_key: sk-upstream}\nauth: {allow_shared_key: true}\n"
            + "attribution: {keys_file: '"
            + keys
            + "'}\n"
            + extra);
  }

  static String call(RawClient c, String model, String headers) throws Exception {
    String body =
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    return c.send(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + headers
                + "Content-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
        .readResponse();
  }

  HttpResponse<String> admin(TestTollgate t, String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(t.adminUri(pathAndQuery));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  JsonNode spend(TestTollgate t, String groupBy, String extra) throws Exception {
    return JSON.readTree(
        admin(
                t,
                "/admin/spend?group_by=" + groupBy + "&from=" + today + "&to=" + tomorrow + extra,
                "adm")
            .body());
  }

  @Test
  void attributedSpendIsExactSurvivesARestartAndAgreesEverywhere() throws Exception {
    try (RawUpstream upstream = upstream()) {
      String apiJson;
      try (TestTollgate t = start(upstream, "admin: {token: adm}");
          RawClient c = new RawClient(t.port())) {
        call(
            c,
            "gpt-4o-mini",
            "X-Tollgate-Team: search\r\nX-Tollgate-Tags: feature=autocomplete,env=prod\r\n");
        call(c, "o3", "X-Tollgate-Team: ads\r\nX-Tollgate-Tags: feature=bidding\r\n");
        // A virtual key, and a header trying to move its spend to ads.
        String viaKey =
            call(
                c,
                "gpt-4o-mini",
                "Authorization: Bearer " + VIRTUAL_KEY + "\r\nX-Tollgate-Team: ads\r\n");
        call(c, "gpt-4o-mini", "");
        String refused =
            call(
                c,
                "gpt-4o-mini",
                "Authorization: Bearer tg-unknownKEY\r\nX-Tollgate-Team: ads\r\n");

        assertThat(viaKey).startsWith("HTTP/1.1 200");
        assertThat(refused)
            .startsWith("HTTP/1.1 401")
            .contains("\"code\":\"invalid_api_key\"")
            .contains("invalid_request_error");
        assertThat(upstreamHeads).hasSize(4);
        String keyed = upstreamHeads.get(2).toLowerCase();
        assertThat(keyed)
            .contains("authorization: bearer sk-upstream")
            .doesNotContain("tg-")
            .doesNotContain("x-tollgate");

        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> spend(t, "team", "").path("total_cost_usd").asText().equals("0.007814"));
        JsonNode byTeamModel = spend(t, "team,model", "");
        assertThat(rows(byTeamModel))
            .containsExactly(
                "ads|o3-2025-04-16|1|0.006464",
                "search|gpt-4o-mini-2024-07-18|2|0.0009",
                "unattributed|gpt-4o-mini-2024-07-18|1|0.00045");
        assertThat(byTeamModel.at("/rows/0/tokens").toString())
            .isEqualTo(
                "{\"input\":976,\"cached_input\":1024,\"cache_write\":0,\"output\":200,\"reasoning\":300}");
        assertThat(byTeamModel.at("/rows/0/unpriced_requests").asInt()).isZero();

        // CSV parses and says the same.
        String csv =
            admin(
                    t,
                    "/admin/spend?group_by=team,model&from="
                        + today
                        + "&to="
                        + tomorrow
                        + "&format=csv",
                    "adm")
                .body();
        try (MappingIterator<Map<String, String>> it =
            new CsvMapper()
                .readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(csv)) {
          List<Map<String, String>> lines = it.readAll();
          assertThat(lines).hasSize(3);
          assertThat(lines.get(0))
              .containsEntry("team", "ads")
              .containsEntry("cost_usd", "0.006464")
              .containsEntry("requests", "1")
              // the components, which add up to cost_usd: 976 x 2 + 1024 x 0.5 + 200 x 8 + 300 x 8
              .containsEntry("cost_input_usd", "0.001952")
              .containsEntry("cached_input_tokens", "1024")
              .containsEntry("cost_cached_input_usd", "0.000512")
              .containsEntry("cost_output_usd", "0.0016")
              .containsEntry("cost_reasoning_usd", "0.0024");
        }

        // /admin/calls says who made each call, and filters.
        JsonNode search =
            JSON.readTree(admin(t, "/admin/calls?team=search&api=chat&status=priced", "adm").body())
                .get("calls");
        assertThat(search).hasSize(2);
        assertThat(search)
            .allSatisfy(
                call -> {
                  assertThat(call.get("team").asText()).isEqualTo("search");
                  assertThat(call.get("model").asText()).startsWith("gpt-4o-mini");
                });
        assertThat(search.get(0).has("project")).isTrue();
        assertThat(search.get(0).has("tags")).isTrue();
        String tomorrowCalls = admin(t, "/admin/calls?from=" + tomorrow, "adm").body();
        assertThat(JSON.readTree(tomorrowCalls).get("calls")).isEmpty();
        assertThat(admin(t, "/admin/calls?from=yesterday", "adm").statusCode()).isEqualTo(400);

        // Without a range, /admin/spend reports the current month, as `tollgate report` does.
        JsonNode thisMonth = JSON.readTree(admin(t, "/admin/spend?group_by=team", "adm").body());
        assertThat(thisMonth.get("from").asText()).endsWith("-01");
        assertThat(thisMonth.get("total_cost_usd").asText()).isEqualTo("0.007814");

        // Tags, months and what-if read the raw rows.
        assertThat(rows(spend(t, "tag:feature", "")))
            .containsExactly("bidding|1|0.006464", "(none)|2|0.0009", "autocomplete|1|0.00045");
        JsonNode whatIf = spend(t, "team", "&what_if=model=o4-mini");
        assertThat(whatIf.at("/what_if/model").asText()).isEqualTo("o4-mini");
        // o4-mini: ads 976 x 1.10 + 1024 x 0.275 + 500 x 4.40 = 0.0035552; each mini call 1000 x
        // 1.10 + 500 x 4.40 = 0.0033
        assertThat(whatIf.get("total_what_if_cost_usd").asText()).isEqualTo("0.0134552");
        // A what-if model the catalog does not know is refused, naming it, rather than priced at
        // $0.
        var unknown =
            admin(
                t,
                "/admin/spend?group_by=team&from="
                    + today
                    + "&to="
                    + tomorrow
                    + "&what_if=model=gpt-nonexistent",
                "adm");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("gpt-nonexistent").contains("\"param\":\"what_if\"");
        // An embedding model reprices no chat call: each keeps its cost and is counted as not
        // repriced.
        JsonNode asEmbedding = spend(t, "team", "&what_if=model=text-embedding-3-small");
        assertThat(asEmbedding.get("total_what_if_cost_usd").asText()).isEqualTo("0.007814");
        assertThat(asEmbedding.at("/rows/0/what_if_unpriced_requests").asInt()).isEqualTo(1);

        // The admin API refuses calls without the token.
        assertThat(admin(t, "/admin/spend?from=" + today + "&to=" + tomorrow, null).statusCode())
            .isEqualTo(401);
        assertThat(admin(t, "/admin/calls", "wrong").statusCode()).isEqualTo(401);
        apiJson = spend(t, "team,model", "").toString();
      }

      // Same numbers after a restart on the same ledger.
      try (TestTollgate t = start(upstream, "admin: {token: adm}")) {
        assertThat(spend(t, "team,model", "").toString()).isEqualTo(apiJson);
        JsonNode calls =
            JSON.readTree(admin(t, "/admin/calls?limit=10", "adm").body()).get("calls");
        assertThat(calls).hasSize(4);
      }

      // The CLI reads the ledger directly, with the server down, and agrees with the API.
      Path config = dir.resolve("tollgate.yaml");
      Files.writeString(config, "data_dir: '" + dir.resolve("data") + "'\n");
      StringWriter out = new StringWriter();
      CommandLine cli = new CommandLine(new dev.tollgate.cli.TollgateCommandAccess().command());
      cli.setOut(new PrintWriter(out));
      int code =
          cli.execute(
              "report",
              "--config",
              config.toString(),
              "--group-by",
              "team,model",
              "--from",
              today,
              "--to",
              tomorrow,
              "--format",
              "json");
      assertThat(code).isZero();
      assertThat(JSON.readTree(out.toString()).toString()).isEqualTo(apiJson);
    }
  }

  @Test
  void badReportParametersAreOpenAiShaped400s() throws Exception {
    try (RawUpstream upstream = upstream();
        TestTollgate t = start(upstream, "")) {
      HttpResponse<String> r =
          admin(t, "/admin/spend?group_by=colour&from=" + today + "&to=" + tomorrow, null);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body())
          .contains("\"param\":\"group_by\"")
          .contains("Unknown group_by key 'colour'");
      assertThat(admin(t, "/admin/spend?from=2026-13-01&to=" + tomorrow, null).body())
          .contains("\"param\":\"from\"");
      assertThat(admin(t, "/admin/spend?from=" + tomorrow + "&to=" + today, null).body())
          .contains("\"param\":\"to\"");
    }
  }

  @Test
  void revokingAKeyInTheKeysFileTakesEffectWithoutARestart() throws Exception {
    try (RawUpstream upstream = upstream();
        TestTollgate t = start(upstream, "usage: {catalog_reload_interval: 100ms}");
        RawClient c = new RawClient(t.port())) {
      assertThat(call(c, "gpt-4o-mini", "Authorization: Bearer " + VIRTUAL_KEY + "\r\n"))
          .startsWith("HTTP/1.1 200");
      Files.writeString(keys, Files.readString(keys) + "  revoked: true\n");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(
                          call(c, "gpt-4o-mini", "Authorization: Bearer " + VIRTUAL_KEY + "\r\n"))
                      .startsWith("HTTP/1.1 401"));
      assertThat(upstreamHeads).hasSize(1);
    }
  }

  /** "group values|requests|cost" per row, in the report's order. */
  static List<String> rows(JsonNode report) {
    List<String> out = new java.util.ArrayList<>();
    List<String> keys = new java.util.ArrayList<>();
    report.get("group_by").forEach(k -> keys.add(k.asText()));
    report
        .get("rows")
        .forEach(
            row -> {
              StringBuilder s = new StringBuilder();
              for (String k : keys) {
                s.append(row.get(k).isNull() ? "" : row.get(k).asText()).append('|');
              }
              out.add(
                  s.append(row.get("requests").asInt())
                      .append('|')
                      .append(row.get("cost_usd").asText())
                      .toString());
            });
    return out;
  }
}
