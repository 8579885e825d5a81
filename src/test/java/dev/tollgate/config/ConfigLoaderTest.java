package dev.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private TollgateConfig load(String yaml, Map<String, String> env) throws IOException {
    Path file = dir.resolve("tollgate.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(env).load(file);
  }

  @Test
  void theShippedDefaultFileLoadsWithDocumentedDefaults() {
    TollgateConfig c = new ConfigLoader(Map.of()).load(Path.of("config/tollgate.yaml"));
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.admin().port()).isEqualTo(8081);
    assertThat(c.upstream().url().toString()).isEqualTo("https://api.openai.com/v1");
    assertThat(c.upstream().tls()).isTrue();
    assertThat(c.upstream().port()).isEqualTo(443);
    assertThat(c.server().maxRequestBody()).isEqualTo(32L << 20);
    // Relative paths in the file are relative to its folder: these are ./data and config/...
    assertThat(c.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
    assertThat(c.usage().catalog()).contains(Path.of("config/prices.yaml").toAbsolutePath());
    assertThat(c.attribution().keysFile()).isEqualTo(Path.of("config/keys.yaml").toAbsolutePath());
    assertThat(c.admin().token()).isEmpty();
  }

  @Test
  void relativePathsInAFileResolveAgainstItsFolderNotTheWorkingFolder() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("etc/tollgate"));
    Path file = sub.resolve("tollgate.yaml");
    Files.writeString(
        file,
        "data_dir: state\nusage: {catalog: my-prices.yaml}\nattribution: {keys_file: ../keys.yaml}\n"
            + "upstream: {tls: {trust_file: ca.pem}}\n");
    TollgateConfig c = new ConfigLoader(Map.of()).load(file);
    assertThat(c.dataDir()).isEqualTo(sub.resolve("state").toAbsolutePath());
    assertThat(c.usage().catalog()).contains(sub.resolve("my-prices.yaml").toAbsolutePath());
    assertThat(c.attribution().keysFile()).isEqualTo(dir.resolve("etc/keys.yaml").toAbsolutePath());
    assertThat(c.upstream().trustFile()).contains(sub.resolve("ca.pem").toAbsolutePath());
    // An environment override is a shell path: relative to where Tollgate runs.
    assertThat(new ConfigLoader(Map.of("TOLLGATE_DATA_DIR", "here")).load(file).dataDir())
        .isEqualTo(Path.of("here"));
  }

  /** Issue 30: a container reaches PostgreSQL with environment variables alone. */
  @Test
  void theLedgerUrlAndPasswordComeFromTheEnvironmentOrAFileAndAreNeverPrinted() throws IOException {
    Path file = dir.resolve("tollgate.yaml");
    Files.writeString(file, "ledger: {url: 'jdbc:postgresql://db/file'}\n");
    var fromEnv =
        new ConfigLoader(
                Map.of(
                    "TOLLGATE_LEDGER_URL", "jdbc:postgresql://db:5432/ledger?user=tollgate",
                    "TOLLGATE_LEDGER_PASSWORD", "s3cret-env"))
            .load(file)
            .ledger();
    assertThat(fromEnv.url()).hasValue("jdbc:postgresql://db:5432/ledger?user=tollgate");
    assertThat(fromEnv.password()).hasValue("s3cret-env");
    assertThat(fromEnv.toString()).doesNotContain("s3cret-env").contains("password=***");

    Path secret = dir.resolve("pg-password");
    Files.writeString(secret, "s3cret-file\n");
    var fromFile =
        new ConfigLoader(Map.of("TOLLGATE_LEDGER_PASSWORD_FILE", secret.toString()))
            .load(file)
            .ledger();
    assertThat(fromFile.url()).hasValue("jdbc:postgresql://db/file");
    assertThat(fromFile.password()).hasValue("s3cret-file");

    Files.writeString(file, "ledger: {password_file: missing-secret}\n");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledger.password_file")
        .hasMessageContaining("missing-secret");

    Files.writeString(file, "ledger: {url: 'jdbc:mysql://db/x?password=hunter2'}\n");
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void liteLlmIsSyncedByDefaultAndOneVariableTurnsAllFetchingOff() throws IOException {
    TollgateConfig defaults = new ConfigLoader(Map.of()).fromTree(null);
    assertThat(defaults.pricing().sync()).isTrue();
    assertThat(defaults.pricing().sources()).containsExactly(PricingConfig.LITELLM);
    assertThat(
            new ConfigLoader(Map.of("TOLLGATE_PRICE_SYNC", "off")).fromTree(null).pricing().sync())
        .isFalse();
    TollgateConfig c =
        load(
            "pricing:\n  sync: off\n  sources:\n"
                + "    - {name: ours, format: tollgate, location: team-prices.yaml, refresh: 1m}\n"
                + "    - {name: mdev, format: models_dev, location: 'https://models.dev/api.json'}\n",
            Map.of());
    assertThat(c.pricing().sync()).isFalse(); // a bare YAML off is a boolean: read as off
    assertThat(c.pricing().sources().get(0).file())
        .isEqualTo(dir.resolve("team-prices.yaml").toAbsolutePath());
    assertThat(c.pricing().sources().get(1).url().toString())
        .isEqualTo("https://models.dev/api.json");
    assertThat(c.pricing().sources().get(1).refresh()).isEqualTo(Duration.ofHours(6));
    assertThatThrownBy(
            () -> load("pricing: {sources: [{name: x, format: csv, location: a.csv}]}", Map.of()))
        .hasMessageContaining("pricing.sources.x.format");
  }

  @Test
  void anOrganisationKeyOnlyServesTollgateKeysUnlessSharingItIsExplicitlyAllowed()
      throws IOException {
    assertThatThrownBy(() -> load("upstream: {api_key: sk-org}\n", Map.of()))
        .hasMessageStartingWith("upstream.api_key: in auth.mode passthrough every caller");
    assertThat(
            load("upstream: {api_key: sk-org}\nauth: {mode: virtual_keys}\n", Map.of())
                .auth()
                .virtualKeysOnly())
        .isTrue();
    assertThat(
            load("upstream: {api_key: sk-org}\nauth: {allow_shared_key: true}\n", Map.of())
                .auth()
                .virtualKeysOnly())
        .isFalse();
    assertThatThrownBy(() -> load("auth: {mode: virtual_keys}\n", Map.of()))
        .hasMessageStartingWith("auth.mode: virtual_keys needs upstream.api_key");
  }

  @Test
  void withoutAFileTheBuiltInDefaultsApplyButANamedFileMustExist() {
    TollgateConfig c = new ConfigLoader(Map.of()).fromTree(null);
    assertThat(c.dataDir()).isEqualTo(Path.of("data"));
    assertThat(c.usage().catalog()).isEmpty(); // the built-in catalog alone
    assertThat(c.attribution().keysFile()).isEqualTo(Path.of("config/keys.yaml"));
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).loadOrDefaults(dir.resolve("missing.yaml")))
        .hasMessageContaining("config file not found");
  }

  @Test
  void anEmptyFileMeansAllDefaults() throws IOException {
    TollgateConfig c = load("", Map.of());
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.logging().json()).isFalse();
  }

  @Test
  void environmentOverridesWinOverTheFile() throws IOException {
    TollgateConfig c =
        load(
            "server: {port: 9000}\nadmin: {port: 9001, token: from-file}\nupstream: {url: 'http://a:1/v1'}\ndata_dir: /x\n",
            Map.of(
                "TOLLGATE_PORT", "7000",
                "TOLLGATE_ADMIN_PORT", "7001",
                "TOLLGATE_UPSTREAM_URL", "http://localhost:11434/v1",
                "TOLLGATE_DATA_DIR", "/tmp/tg",
                "TOLLGATE_ADMIN_TOKEN", "s3cret"));
    assertThat(c.server().port()).isEqualTo(7000);
    assertThat(c.admin().port()).isEqualTo(7001);
    assertThat(c.upstream().hostHeader()).isEqualTo("localhost:11434");
    assertThat(c.upstream().basePath()).isEqualTo("/v1");
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/tg"));
    assertThat(c.admin().token()).contains("s3cret");
  }

  @Test
  void theUpstreamKeyCanComeFromANamedEnvironmentVariable() throws IOException {
    TollgateConfig c =
        load(
            "upstream: {api_key_env: OPENAI_API_KEY}\nauth: {mode: virtual_keys}\n",
            Map.of("OPENAI_API_KEY", "sk-env"));
    assertThat(c.upstream().apiKey()).contains("sk-env");
    TollgateConfig explicit =
        load(
            "upstream: {api_key: sk-file, api_key_env: OPENAI_API_KEY}\nauth: {mode: virtual_keys}\n",
            Map.of("OPENAI_API_KEY", "sk-env"));
    assertThat(explicit.upstream().apiKey()).contains("sk-file");
    assertThat(load("upstream: {}\n", Map.of("OPENAI_API_KEY", "sk-env")).upstream().apiKey())
        .isEmpty();
  }

  @Test
  void unitsAreReadForDurationsAndSizes() throws IOException {
    TollgateConfig c =
        load(
            "server: {max_request_body: 512KiB, drain_timeout: 1500ms}\nupstream: {idle_timeout: 2m, first_byte_timeout: 1h}\n",
            Map.of());
    assertThat(c.server().maxRequestBody()).isEqualTo(512 * 1024);
    assertThat(c.server().drainTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.upstream().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.upstream().firstByteTimeout()).isEqualTo(Duration.ofHours(1));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "server: {prot: 1}                      | server.prot: unknown key",
        "upstream: {pool: {max_idle: 3}}        | upstream.pool.max_idle: unknown key",
        "colour: blue                           | colour: unknown key",
        "server: {port: 70000}                  | server.port: must be between 0 and 65535",
        "server: {port: abc}                    | server.port: expected a whole number, got 'abc'",
        "upstream: {connect_timeout: soon}      | upstream.connect_timeout: expected a duration",
        "upstream: {connect_timeout: 0s}        | upstream.connect_timeout: must be a positive duration",
        "server: {max_request_body: lots}       | server.max_request_body: expected a size",
        "upstream: {url: 'ftp://x/v1'}          | upstream.url: must be an http:// or https:// URL",
        "logging: {format: xml}                 | logging.format: must be 'text' or 'json'",
        "logging: {access_log: maybe}           | logging.access_log: expected true or false",
        "server: [1, 2]                         | server: must be a mapping of keys",
        "server: {port: 9000}\\nadmin: {port: 9000} | admin.port: must differ from server.port",
      })
  void aBadKeyIsNamedInAOneLineError(String yaml, String message) {
    assertThatThrownBy(() -> load(yaml.replace("\\n", "\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aBadEnvironmentPortIsNamed() {
    assertThatThrownBy(() -> load("", Map.of("TOLLGATE_PORT", "eighty")))
        .hasMessage("TOLLGATE_PORT: expected a port number, got 'eighty'");
  }

  @Test
  void anOutOfRangePortFromTheEnvironmentNamesTheVariable() {
    assertThatThrownBy(() -> load("", Map.of("TOLLGATE_ADMIN_PORT", "70000")))
        .hasMessageStartingWith("TOLLGATE_ADMIN_PORT: ")
        .hasMessageContaining("70000");
  }

  @Test
  void routesAndNamedUpstreamsAreCheckedAtLoad() {
    assertThatThrownBy(
            () ->
                load(
                    "upstreams: {ds: {url: 'https://api.deepseek.com/v1'}}\n"
                        + "routes: [{match: 'deepseek-*', upstream: deepsek}]",
                    Map.of()))
        .hasMessage("routes[0].upstream: no upstream named 'deepsek' (upstreams: default, ds)");
    assertThatThrownBy(() -> load("upstreams: {ds: {provider: openai}}", Map.of()))
        .hasMessage("upstreams.ds.url: is required");
    assertThatThrownBy(
            () -> load("upstreams: {ds: {url: 'https://x/v1', provider: grok}}", Map.of()))
        .hasMessageStartingWith("upstreams.ds.provider: must be one of");
    assertThatThrownBy(
            () -> load("upstreams: {ds: {url: 'https://x/v1', api_key: sk-shared}}", Map.of()))
        .hasMessageStartingWith("upstreams.ds.api_key: in auth.mode passthrough");
    assertThatThrownBy(() -> load("upstreams: {ds: {url: 'ftp://x'}}", Map.of()))
        .hasMessageStartingWith("upstreams.ds.url: must be an http:// or https:// URL");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config file not found")
        .hasMessageContaining("nope.yaml");
  }

  @Test
  void invalidYamlIsAOneLineError() {
    assertThatThrownBy(() -> load("server: {port: 1\n  bind: [", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid YAML")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aYamlSyntaxErrorNamesItsLineAndColumn() {
    assertThatThrownBy(() -> load("server:\n  port: 8080\n bind: 0.0.0.0\n", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid YAML at line 3, column 2")
        .hasMessageContaining("expected <block end>")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void webSocketLimitsHaveDefaultsAndABadOneIsNamed() throws Exception {
    WebSocketConfig ws = load("", Map.of()).websocket();
    assertThat(ws.enabled()).isTrue();
    assertThat(ws.maxSockets()).isEqualTo(10_000);
    assertThat(ws.maxFrameBytes()).isEqualTo(16L << 20);
    assertThat(ws.idleTimeout()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(load("websocket: {idle_timeout: 90s, max_event_bytes: 64KiB}", Map.of()).websocket())
        .extracting(WebSocketConfig::idleTimeout, WebSocketConfig::maxEventBytes)
        .containsExactly(java.time.Duration.ofSeconds(90), 64L << 10);
    assertThatThrownBy(() -> load("websocket: {max_sockets: 0}", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("websocket.max_sockets");
    assertThatThrownBy(() -> load("websocket: {max_socket: 5}", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("websocket.max_socket");
  }

  @Test
  void telemetryIsOffUntilAskedForAndTheOtelVariablesWinOverTheFile() throws IOException {
    assertThat(load("", Map.of()).telemetry().traces()).isFalse();
    String yaml =
        "telemetry: {traces: true, endpoint: 'http://collector:4318', service_name: gw,"
            + " sampler: traceidratio, sampler_arg: '0.25', resource_attributes: {env: prod}}\n";
    TelemetryConfig file = load(yaml, Map.of()).telemetry();
    assertThat(file.traces()).isTrue();
    assertThat(file.metrics()).isFalse();
    assertThat(file.sdk())
        .containsEntry("otel.exporter.otlp.endpoint", "http://collector:4318")
        .containsEntry("otel.exporter.otlp.protocol", "http/protobuf")
        .containsEntry("otel.service.name", "gw")
        .containsEntry("otel.traces.sampler", "traceidratio")
        .containsEntry("otel.traces.sampler.arg", "0.25")
        .containsEntry("otel.resource.attributes", "env=prod")
        .containsEntry("otel.metrics.exporter", "none");
    TelemetryConfig env =
        load(
                yaml,
                Map.of(
                    "OTEL_SERVICE_NAME", "from-env",
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                    "OTEL_METRICS_EXPORTER", "otlp"))
            .telemetry();
    assertThat(env.sdk())
        .containsEntry("otel.service.name", "from-env")
        .containsEntry("otel.exporter.otlp.protocol", "grpc")
        .containsEntry("otel.exporter.otlp.endpoint", "http://collector:4318")
        .containsEntry("otel.metrics.exporter", "none"); // the SDK's own: Micrometer pushes
    assertThat(env.metrics()).isTrue();
    // An endpoint in the environment alone turns traces on; the SDK switch turns all off.
    assertThat(
            load("", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")).telemetry().traces())
        .isTrue();
    assertThat(
            load(yaml, Map.of("OTEL_SDK_DISABLED", "true", "OTEL_METRICS_EXPORTER", "otlp"))
                .telemetry())
        .satisfies(t -> assertThat(t.traces() || t.metrics()).isFalse());
    assertThat(load(yaml, Map.of("OTEL_TRACES_EXPORTER", "none")).telemetry().traces()).isFalse();
  }
}
