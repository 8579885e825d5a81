package dev.tollgate.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ReconcileCommandTest {
  @RegisterExtension
  static WireMockExtension openai =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @TempDir Path dir;

  @Test
  void aBillWithTrafficTheLedgerNeverSawIsAFindingOnEveryFormat() throws Exception {
    String empty = "{\"object\":\"page\",\"data\":[],\"has_more\":false,\"next_page\":null}";
    String usage =
        "{\"object\":\"page\",\"data\":[{\"object\":\"bucket\",\"start_time\":1795996800,"
            + "\"end_time\":1796083200,\"results\":[{\"object\":\"organization.usage.completions."
            + "result\",\"input_tokens\":100,\"output_tokens\":10,\"num_model_requests\":1,"
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"batch\":true}]}],\"has_more\":false,"
            + "\"next_page\":null}";
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/usage/completions"))
            .willReturn(
                aResponse().withHeader("Content-Type", "application/json").withBody(usage)));
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/costs"))
            .willReturn(
                aResponse().withHeader("Content-Type", "application/json").withBody(empty)));
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(
        config,
        "data_dir: data\nreconcile: {admin_key: sk-admin-test, url: '"
            + openai.baseUrl()
            + "/v1'}\n");
    // reconcile reads an existing ledger: `budgets list` opens (creates) one.
    assertThat(new Cli().run("budgets", "list", "--config", config.toString())).isZero();

    for (String format : new String[] {"table", "json", "csv"}) {
      Cli cli = new Cli();
      int code =
          cli.run(
              "reconcile",
              "--config",
              config.toString(),
              "--from",
              "2026-11-30",
              "--to",
              "2026-12-01",
              "--format",
              format);
      assertThat(code).as(cli.err.toString()).isZero();
      assertThat(cli.out.toString())
          .as(format)
          .contains("gpt-4o-mini")
          .contains("batch_not_through_tollgate");
    }
  }

  @Test
  void withoutAnAdminKeyItSaysWhichVariableToSet() throws Exception {
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, "data_dir: data\n");
    Cli cli = new Cli();
    assertThat(
            cli.run("reconcile", "--config", config.toString(), "--admin-key-env", "NO_SUCH_VAR"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).startsWith("tollgate: NO_SUCH_VAR is not set");
  }

  private Cli reconcileAgainst(String adminKey, String url) throws Exception {
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(
        config, "data_dir: data\nreconcile: {admin_key: " + adminKey + ", url: '" + url + "'}\n");
    assertThat(new Cli().run("budgets", "list", "--config", config.toString())).isZero();
    Cli cli = new Cli();
    assertThat(
            cli.run(
                "reconcile",
                "--config",
                config.toString(),
                "--from",
                "2026-11-30",
                "--to",
                "2026-12-01"))
        .isEqualTo(1);
    assertThat(cli.err.toString().lines()).as(cli.err.toString()).hasSize(1);
    return cli;
  }

  private static void refuse(int status, String message) {
    // OpenAI's error bodies are pretty-printed over several lines.
    openai.stubFor(
        get(urlPathEqualTo("/v1/organization/usage/completions"))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\n    \"error\": {\n        \"message\": \""
                            + message
                            + "\",\n        \"type\": \"invalid_request_error\",\n"
                            + "        \"param\": null,\n        \"code\": null\n    }\n}\n")));
  }

  @Test
  void eachRefusalOfTheBillIsOneLineNamingTheCauseAndTheFix() throws Exception {
    String url = openai.baseUrl() + "/v1";
    refuse(401, "Incorrect API key provided: sk-admin-*****1234.");
    assertThat(reconcileAgainst("sk-admin-wrong", url).err.toString())
        .contains("does not accept the admin key (401)")
        .contains("Admin keys")
        .contains("[OpenAI: Incorrect API key provided: sk-admin-*****1234.]")
        .doesNotContain("sk-admin-wrong");
    assertThat(reconcileAgainst("sk-proj-abc", url).err.toString())
        .contains("not a project or user key");
    refuse(403, "You have insufficient permissions for this operation.");
    assertThat(reconcileAgainst("sk-admin-x", url).err.toString())
        .contains("may not read the organization's costs and usage (403)");
    refuse(429, "Rate limit reached.");
    assertThat(reconcileAgainst("sk-admin-x", url).err.toString())
        .contains("rate-limited")
        .contains("try again");
    assertThat(reconcileAgainst("sk-admin-x", "http://127.0.0.1:9/v1").err.toString())
        .contains("cannot reach http://127.0.0.1:9/v1/organization/usage/completions");
  }
}
