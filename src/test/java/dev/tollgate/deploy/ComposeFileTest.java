package dev.tollgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.cli.TollgateCommandAccess;
import dev.tollgate.testing.TestTollgate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code docker compose config} is not available here, so compose.yaml and the Dockerfile are
 * checked by reading them: every file they mount exists, the ports they publish are the ones the
 * shipped config listens on, and every command they run is one the jar has and that works.
 */
class ComposeFileTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}");

  static JsonNode compose() throws Exception {
    return YAML.readTree(Files.readString(Path.of("compose.yaml")));
  }

  /** {@code ${VAR:-default}} as compose reads it with VAR unset. */
  static String unset(String text) {
    return DEFAULTED.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(unset(n.asText())));
    return out;
  }

  /** The jar's command tree as the container runs it (the image's CMD / compose's command). */
  static int runJar(List<String> args, StringWriter err) {
    CommandLine cli = new CommandLine(new TollgateCommandAccess().command());
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args.toArray(String[]::new));
  }

  /** A path inside the image, mapped back to the repository folder the Dockerfile copies. */
  static Path inRepo(String imagePath) {
    assertThat(imagePath).startsWith("/app/");
    return Path.of(imagePath.substring("/app/".length()));
  }

  @Test
  void everyHostPathComposeMountsExists() throws Exception {
    int checked = 0;
    for (JsonNode service : compose().get("services")) {
      for (JsonNode volume : service.path("volumes")) {
        String host = volume.asText().split(":")[0];
        if (host.startsWith(".")) {
          assertThat(Path.of(host)).as(volume.asText()).exists();
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(3);
    String home =
        compose()
            .at("/services/grafana/environment/GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
            .asText();
    assertThat(Path.of("grafana/dashboards").resolve(Path.of(home).getFileName())).exists();
  }

  @Test
  void publishedPortsAreTheOnesTheShippedConfigListensOnAndPrometheusScrapes() throws Exception {
    JsonNode config = YAML.readTree(Files.readString(Path.of("config/tollgate.yaml")));
    int proxy = config.at("/server/port").asInt();
    int admin = config.at("/admin/port").asInt();
    assertThat(strings(compose().at("/services/tollgate/ports")))
        .containsExactlyInAnyOrder(proxy + ":" + proxy, admin + ":" + admin);
    assertThat(Files.readString(Path.of("Dockerfile"))).contains("EXPOSE " + proxy + " " + admin);
    JsonNode prometheus = YAML.readTree(Files.readString(Path.of("config/prometheus.yml")));
    assertThat(prometheus.at("/scrape_configs/0/static_configs/0/targets/0").asText())
        .isEqualTo("tollgate:" + admin);
  }

  @Test
  void theServiceCommandNamesARealCommandAndAConfigTheImageHas() throws Exception {
    List<String> command = strings(compose().at("/services/tollgate/command"));
    assertThat(command.get(0)).isEqualTo("serve");
    assertThat(inRepo(command.get(command.indexOf("--config") + 1))).exists();
    // The demo alternative the file's header offers is a command too.
    assertThat(Files.readString(Path.of("compose.yaml"))).contains("TOLLGATE_COMMAND=demo");
    assertThat(runJar(List.of("demo", "--help"), new StringWriter())).isZero();
    assertThat(runJar(List.of("serve", "--help"), new StringWriter())).isZero();
  }

  @Test
  void theHealthCheckRunsAJarCommandThatPassesOnlyWhileTollgateIsReady() throws Exception {
    List<String> test = strings(compose().at("/services/tollgate/healthcheck/test"));
    assertThat(test.get(0)).as("no shell: the image's sh is dash").isEqualTo("CMD");
    assertThat(test).contains("/app/tollgate.jar", "health");
    List<String> args = test.subList(test.indexOf("/app/tollgate.jar") + 1, test.size());
    assertThat(inRepo(args.get(args.indexOf("--config") + 1))).exists();
    // The Dockerfile's HEALTHCHECK runs the same command.
    assertThat(Files.readString(Path.of("Dockerfile")))
        .contains("HEALTHCHECK")
        .contains(String.join("\", \"", test.subList(1, test.size())));

    // Run as the container would, against a real Tollgate: ready = 0; nothing listening = 1.
    try (TestTollgate t = TestTollgate.start("http://127.0.0.1:9/v1")) {
      List<String> health = new ArrayList<>(List.of("health", "--url"));
      health.add("http://127.0.0.1:" + t.adminPort() + "/readyz");
      assertThat(runJar(health, new StringWriter())).isZero();
      int closed = t.adminPort();
      t.close();
      StringWriter err = new StringWriter();
      assertThat(runJar(List.of("health", "--url", "http://127.0.0.1:" + closed + "/readyz"), err))
          .isEqualTo(1);
      assertThat(err.toString()).startsWith("not ready");
    }
  }

  @Test
  void theTracesOverlayMountsWhatExistsAndPointsTollgateAtTempo() throws Exception {
    JsonNode traces = YAML.readTree(Files.readString(Path.of("compose.traces.yaml")));
    for (JsonNode service : traces.get("services")) {
      for (JsonNode volume : service.path("volumes")) {
        String host = volume.asText().split(":")[0];
        if (host.startsWith(".")) {
          assertThat(Path.of(host)).as(volume.asText()).exists();
        }
      }
    }
    // Tollgate sends OTLP/HTTP (its default protocol) to the port Tempo's receiver listens on.
    String endpoint =
        traces.at("/services/tollgate/environment/OTEL_EXPORTER_OTLP_ENDPOINT").asText();
    JsonNode tempo = YAML.readTree(Files.readString(Path.of("config/tempo.yaml")));
    String listen = tempo.at("/distributor/receivers/otlp/protocols/http/endpoint").asText();
    assertThat(endpoint).isEqualTo("http://tempo:" + listen.substring(listen.indexOf(':') + 1));
    // The spend dashboard's trace links name the datasource the overlay provisions.
    JsonNode source = YAML.readTree(Files.readString(Path.of("grafana/traces/tempo.yaml")));
    String uid = source.at("/datasources/0/uid").asText();
    assertThat(source.at("/datasources/0/url").asText())
        .isEqualTo("http://tempo:" + tempo.at("/server/http_listen_port").asInt());
    JsonNode dashboard =
        YAML.readTree(Files.readString(Path.of("grafana/dashboards/tollgate-spend.json")));
    List<String> links = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode link : panel.at("/fieldConfig/defaults/links")) {
        links.add(
            java.net.URLDecoder.decode(
                link.get("url").asText(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    assertThat(links).hasSize(3).allSatisfy(l -> assertThat(l).contains("\"uid\":\"" + uid + "\""));
    assertThat(String.join("\n", links))
        .contains("span.tollgate.team = \\\"${__field.labels.team}\\\"")
        .contains("span.gen_ai.response.model = \\\"${__field.labels.model}\\\"");
  }
}
