package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the YAML config file, applies the documented environment overrides, and validates the
 * result into a {@link TollgateConfig}. Defaults live here and in the commented default file.
 */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("config", "tollgate.yaml");

  /** Where virtual keys live unless the config says otherwise (created by {@code keys new}). */
  public static final Path DEFAULT_KEYS_FILE = Path.of("config", "keys.yaml");

  /** Where budgets live unless the config says otherwise. */
  public static final Path DEFAULT_BUDGETS_FILE = Path.of("config", "budgets.yaml");

  private final Map<String, String> env;
  private final Path base; // relative paths in a config file resolve against its folder

  public ConfigLoader(Map<String, String> env) {
    this(env, null);
  }

  private ConfigLoader(Map<String, String> env, Path base) {
    this.env = Map.copyOf(env);
    this.base = base;
  }

  /**
   * The config the CLI runs with: {@code file} when one was named (missing is then an error), else
   * the default file when it exists, else the built-in defaults, so the jar runs from any folder.
   */
  public TollgateConfig loadOrDefaults(Path file) {
    return loadOrDefaults(file, tree -> {});
  }

  /** As {@link #loadOrDefaults(Path)}, with {@code amend} changing the tree first (the demo). */
  public TollgateConfig loadOrDefaults(
      Path file,
      java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> amend) {
    Path chosen = file != null ? file : Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null;
    JsonNode root = chosen == null ? null : YamlFile.read(chosen, "config file", false);
    ConfigLoader loader =
        new ConfigLoader(env, chosen == null ? null : chosen.toAbsolutePath().getParent());
    if (root != null && !root.isNull() && !root.isObject()) {
      return loader.fromTree(root); // not a mapping: says so, naming the file's problem
    }
    com.fasterxml.jackson.databind.node.ObjectNode tree =
        root instanceof com.fasterxml.jackson.databind.node.ObjectNode o
            ? o
            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    amend.accept(tree);
    return loader.fromTree(tree);
  }

  /** Loads {@code file}; every problem is a {@link ConfigException} with a one-line message. */
  public TollgateConfig load(Path file) {
    JsonNode root = YamlFile.read(file, "config file", false);
    return new ConfigLoader(env, file.toAbsolutePath().getParent()).fromTree(root);
  }

  /**
   * A path written in the config: relative ones are relative to the config file's folder (to the
   * working folder when there is no file).
   */
  private Path path(String written) {
    Path p = Path.of(written.trim());
    return base == null ? p : base.resolve(p).normalize();
  }

  /** Builds a config from an already parsed tree (a missing tree means all defaults). */
  public TollgateConfig fromTree(JsonNode root) {
    Section top = new Section("", root);
    RoutingConfig routing = new UpstreamsReader(this::path, this::env).read(top);
    TollgateConfig config =
        new TollgateConfig(
            server(top.section("server")),
            admin(top.section("admin")),
            routing.defaultUpstream().config(),
            dataDir(top),
            logging(top.section("logging")),
            usage(top.section("usage")),
            attribution(top.section("attribution")),
            LedgerConfigReader.read(top.section("ledger"), this::env, this::path),
            metrics(top.section("metrics")),
            pricing(top.section("pricing")),
            auth(top.section("auth")),
            routing,
            ReconcileConfig.read(top.section("reconcile"), this::env),
            BudgetsConfigReader.read(
                top.section("budgets"),
                this::path,
                this::env,
                base == null ? DEFAULT_BUDGETS_FILE : base.resolve("budgets.yaml")),
            WebSocketConfig.read(top.section("websocket")),
            JobsConfig.read(top.section("jobs")),
            TelemetryConfig.read(top.section("telemetry"), env));
    top.rejectUnknownKeys();
    return config;
  }

  private Path dataDir(Section top) {
    String fromFile = top.string("data_dir", null);
    Optional<String> fromEnv = env("TOLLGATE_DATA_DIR");
    if (fromEnv.isPresent()) {
      return Path.of(fromEnv.get()); // relative to where Tollgate runs, like any shell path
    }
    return fromFile == null ? Path.of("data") : path(fromFile);
  }

  private ServerConfig server(Section s) {
    long maxBody = s.bytes("max_request_body", 32L << 20);
    return new ServerConfig(
        s.string("bind", "0.0.0.0"),
        port(s, "port", "TOLLGATE_PORT", 8080),
        (int) s.integer("io_threads", 0),
        maxBody,
        (int) s.bytes("max_header_size", 16L << 10),
        (int) s.integer("max_pipelined", 16),
        s.duration("client_idle_timeout", Duration.ofMinutes(5)),
        s.duration("drain_timeout", Duration.ofSeconds(30)),
        s.duration("request_read_timeout", Duration.ofSeconds(60)),
        BufferLimits.checked(
            maxBody,
            s.bytes("max_buffered_request_bytes", 512L << 20),
            s.bytes("max_connection_request_bytes", 64L << 20),
            s.bytes("max_key_request_bytes", 128L << 20),
            s.bytes("max_unauthenticated_request_bytes", 256L << 20)));
  }

  private AdminConfig admin(Section s) {
    Optional<String> fromFile = Optional.ofNullable(s.string("token", null));
    Optional<String> token = env("TOLLGATE_ADMIN_TOKEN").or(() -> fromFile);
    Section c = s.section("console");
    String secretEnv = c.string("session_secret_env", "TOLLGATE_CONSOLE_SECRET");
    ConsoleConfig console =
        new ConsoleConfig(
            c.bool("enabled", true),
            c.duration("session_ttl", ConsoleConfig.DEFAULT.sessionTtl()),
            onOff(c.string("secure_cookie", "auto"), "on"),
            env(secretEnv));
    c.rejectUnknownKeys();
    return new AdminConfig(
        s.string("bind", "0.0.0.0"),
        port(s, "port", "TOLLGATE_ADMIN_PORT", 8081),
        token,
        s.duration("idle_timeout", AdminConfig.DEFAULT_IDLE_TIMEOUT),
        console);
  }

  private UsageConfig usage(Section s) {
    return new UsageConfig(
        Optional.ofNullable(s.string("catalog", null)).filter(c -> !c.isBlank()).map(this::path),
        s.duration("catalog_reload_interval", Duration.ofSeconds(2)),
        s.bool("inject_stream_usage", true),
        s.duration("drain_after_disconnect", Duration.ofSeconds(60)),
        s.bytes("drain_max_bytes", 16L << 20),
        s.integer("max_tokens_per_call", UsageConfig.DEFAULT_MAX_TOKENS_PER_CALL));
  }

  private AttributionConfig attribution(Section s) {
    return new AttributionConfig(
        keysFile(s),
        s.string("team_header", "x-tollgate-team").toLowerCase(java.util.Locale.ROOT),
        s.string("project_header", "x-tollgate-project").toLowerCase(java.util.Locale.ROOT),
        s.string("user_header", "x-tollgate-user").toLowerCase(java.util.Locale.ROOT),
        s.string("tags_header", "x-tollgate-tags").toLowerCase(java.util.Locale.ROOT),
        s.duration("keys_sync_interval", AttributionConfig.DEFAULT_KEYS_SYNC));
  }

  /** {@code TOLLGATE_KEYS_FILE} wins: the Docker image keeps keys in its data volume. */
  private Path keysFile(Section s) {
    String fromFile = s.string("keys_file", null);
    Optional<String> fromEnv = env("TOLLGATE_KEYS_FILE");
    if (fromEnv.isPresent()) {
      return Path.of(fromEnv.get()); // relative to where Tollgate runs, like any shell path
    }
    return fromFile != null
        ? path(fromFile)
        : base == null ? DEFAULT_KEYS_FILE : base.resolve("keys.yaml");
  }

  private AuthConfig auth(Section s) {
    String mode = s.string("mode", "passthrough");
    if (!mode.equals("passthrough") && !mode.equals("virtual_keys")) {
      throw new ConfigException(
          s.keyPath("mode") + ": must be passthrough or virtual_keys, got '" + mode + "'");
    }
    return new AuthConfig(mode.equals("virtual_keys"), s.bool("allow_shared_key", false));
  }

  private MetricsConfig metrics(Section s) {
    return new MetricsConfig(
        (int) s.integer("max_teams", 200), (int) s.integer("max_unpriced_models", 100));
  }

  private PricingConfig pricing(Section s) {
    // YAML 1.1 reads a bare off/on as a boolean: both spellings mean the same here.
    String reprice = onOff(s.string("reprice", "auto"), "auto");
    if (!reprice.equals("auto") && !reprice.equals("off")) {
      throw new ConfigException(
          s.keyPath("reprice") + ": must be auto or off, got '" + reprice + "'");
    }
    String syncText = onOff(s.string("sync", "on"), "on");
    if (!syncText.equals("on") && !syncText.equals("off")) {
      throw new ConfigException(s.keyPath("sync") + ": must be on or off, got '" + syncText + "'");
    }
    boolean sync =
        env("TOLLGATE_PRICE_SYNC")
            .map(v -> !v.trim().equalsIgnoreCase("off"))
            .orElse(syncText.equals("on"));
    List<PriceSourceConfig> sources = new ArrayList<>();
    if (!s.has("sources")) {
      sources.add(PricingConfig.LITELLM);
    }
    for (Section src : s.sections("sources")) {
      String location = src.string("location", "").trim();
      boolean remote = location.startsWith("https://") || location.startsWith("http://");
      sources.add(
          new PriceSourceConfig(
              src.string("name", ""),
              src.string("format", null),
              remote ? URI.create(location) : null,
              remote || location.isEmpty() ? null : path(location),
              src.duration("refresh", Duration.ofHours(6))));
    }
    return new PricingConfig(
        reprice.equals("auto"),
        s.duration("reprice_window", Duration.ofDays(30)),
        sync,
        s.duration("fetch_timeout", Duration.ofSeconds(10)),
        s.bytes("max_source_bytes", 64L << 20),
        sources,
        s.duration("refetch_on_miss", Duration.ofMinutes(15)));
  }

  private static String onOff(String text, String on) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "false", "off" -> "off";
      case "true", "on" -> on;
      default -> text.trim();
    };
  }

  private LoggingConfig logging(Section s) {
    String fromFile = s.string("format", "text");
    String format = env("TOLLGATE_LOG_FORMAT").orElse(fromFile);
    return new LoggingConfig(format, s.bool("access_log", true));
  }

  private int port(Section s, String key, String envName, int fallback) {
    long fromFile = s.integer(key, fallback); // read even when overridden, so the key is known
    Optional<String> fromEnv = env(envName);
    if (fromEnv.isPresent()) {
      long port;
      try {
        port = Long.parseLong(fromEnv.get().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(
            envName + ": expected a port number, got '" + fromEnv.get() + "'");
      }
      Validate.range(port, 0, 65535, envName); // the variable is what the operator must fix
      return (int) port;
    }
    Validate.range(fromFile, 0, 65535, s.keyPath(key));
    return (int) fromFile;
  }

  private Optional<String> env(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }
}
