package dev.tollgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate bench}: the measuring half of bench/run.sh (which starts the servers). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure Tollgate against direct and nginx (see bench/run.sh, which starts everything).")
public final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--render",
      paramLabel = "RESULTS_JSON",
      description =
          "Only rewrite the Markdown report from an earlier results file; measure nothing.")
  Path render;

  @Option(
      names = "--direct",
      description = "Base URL of the fake upstream, e.g. http://127.0.0.1:9099/v1")
  URI direct;

  @Option(names = "--nginx", description = "Base URL through nginx")
  URI nginx;

  @Option(names = "--tollgate", description = "Base URL through Tollgate")
  URI tollgate;

  @Option(
      names = "--tollgate-realistic",
      description =
          "Base URL through a Tollgate with a realistic config: virtual keys, a hard budget"
              + " covering every call (latency and saturation)")
  URI tollgateRealistic;

  @Option(
      names = "--tollgate-realistic-pid",
      defaultValue = "-1",
      description = "The realistic Tollgate's process id, for its CPU and allocation per call")
  long tollgateRealisticPid;

  @Option(names = "--tollgate-admin", description = "The default Tollgate's admin base URL")
  URI tollgateAdmin;

  @Option(
      names = "--tollgate-realistic-admin",
      description = "The realistic Tollgate's admin base URL")
  URI tollgateRealisticAdmin;

  @Option(names = "--key", description = "The realistic Tollgate's virtual key (sent to it only)")
  String key;

  @Option(names = "--saturation-rounds", defaultValue = "3")
  int saturationRounds;

  @Option(names = "--fixed-rate", defaultValue = "3000", description = "Requests/s, open loop")
  int fixedRate;

  @Option(names = "--fixed-rate-rounds", defaultValue = "3")
  int fixedRateRounds;

  @Option(
      names = "--tollgate-tracing",
      description =
          "Base URL through a Tollgate exporting a span pair for every call (the tracing part)")
  URI tollgateTracing;

  @Option(
      names = "--tollgate-tracing-pid",
      defaultValue = "-1",
      description = "The tracing Tollgate's process id (to warm it until its JIT has settled)")
  long tollgateTracingPid;

  @Option(names = "--tracing-rounds", defaultValue = "3")
  int tracingRounds;

  @Option(
      names = "--tollgate-pid",
      defaultValue = "-1",
      description = "Tollgate's process id, for its memory")
  long tollgatePid;

  @Option(names = "--rounds", defaultValue = "5")
  int rounds;

  @Option(names = "--requests", defaultValue = "2000")
  int requests;

  // On 2 cores the JIT is still compiling (and recompiling) Tollgate's paths after 30,000 calls:
  // PrintCompilation showed hundreds of C2 compilations a second inside the measured rounds.
  @Option(
      names = "--warmup",
      defaultValue = "100000",
      description = "Calls per target before measuring, so the JIT has compiled the path")
  int warmup;

  @Option(names = "--connections", defaultValue = "16,64,256", split = ",")
  int[] connections;

  @Option(names = "--wrk-seconds", defaultValue = "10")
  int wrkSeconds;

  @Option(names = "--streams", defaultValue = "20", description = "64-frame streams per target")
  int streams;

  @Option(
      names = "--ttft-streams",
      defaultValue = "2000",
      description = "Short streams per target for time to first token")
  int ttftStreams;

  // With 5,000, Tollgate's added TTFT p50 was 258-298 µs; with 20,000, 153-186 µs (fresh JVMs,
  // interleaved runs): the difference was the JIT compiling the stream path during the rounds.
  @Option(
      names = "--stream-warmup",
      defaultValue = "20000",
      description = "Short streams per target before measuring")
  int streamWarmup;

  @Option(names = "--open-streams", defaultValue = "10000")
  int openStreams;

  @Option(names = "--ledger-rows", defaultValue = "200000")
  int ledgerRows;

  @Option(names = "--commit", defaultValue = "unknown")
  String commit;

  @Option(
      names = "--parts",
      defaultValue =
          "latency,streaming,throughput,saturation,saturation-long,fixedrate,tracing,memory,ledger",
      split = ",",
      description = "Which measurements to run (default: all; the report needs all).")
  java.util.Set<String> parts;

  @Option(names = "--out", defaultValue = "bench/results/latest.json")
  Path out;

  @Option(names = "--markdown", defaultValue = "docs/PERFORMANCE.md")
  Path markdown;

  @Override
  public Integer call() throws Exception {
    if (render != null) {
      Files.writeString(
          markdown, PerformanceReport.markdown(new ObjectMapper().readTree(render.toFile())));
      return 0;
    }
    if (direct == null || nginx == null || tollgate == null || tollgatePid < 0) {
      System.err.println(
          "tollgate: bench needs --direct, --nginx, --tollgate and --tollgate-pid (bench/run.sh passes them)");
      return 2;
    }
    Targets targets = new Targets(direct, nginx, tollgate, tollgateRealistic, key);
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("date", Instant.now().toString());
    results.put("commit", commit);
    results.put("machine", Machine.describe());

    boolean full =
        parts.containsAll(List.of("latency", "streaming", "throughput", "memory", "ledger"));
    if (parts.contains("latency")) {
      log("added latency at concurrency 1 (" + rounds + " rounds x " + requests + " requests)");
      results.put("latency", LatencyBench.run(targets, rounds, requests, warmup));
    }
    if (parts.contains("streaming")) {
      log(
          "streaming ("
              + ttftStreams
              + " short streams for TTFT; "
              + streams
              + " 64-frame streams, 5 ms apart, per target)");
      results.put("streaming", StreamBench.run(targets, streams, 64, 5, ttftStreams, streamWarmup));
    }
    if (parts.contains("throughput")) {
      log("throughput with a 20 ms upstream (wrk, " + wrkSeconds + " s per point)");
      results.put(
          "throughput",
          ThroughputBench.run(targets, connections, wrkSeconds, 20).stream()
              .map(ThroughputBench::asMap)
              .toList());
    }
    if (parts.contains("saturation")) {
      log("saturation (wrk, 64 connections, upstream at once; CPU and allocation per call)");
      Map<String, ProcessProbe> probes = probes();
      results.put(
          "saturation",
          SaturationBench.run(
              targets, probes, 64, wrkSeconds, saturationRounds, Targets.SMALL_CHAT));
    }
    if (parts.contains("saturation-long")) {
      log("saturation with 20 KB prompts (wrk, 64 connections, upstream at once)");
      results.put(
          "saturation_long",
          SaturationBench.run(
              targets, probes(), 64, wrkSeconds, saturationRounds, Targets.LONG_CHAT));
    }
    if (parts.contains("fixedrate")) {
      log("fixed rate, " + fixedRate + " requests/s, open loop");
      results.put(
          "fixed_rate", FixedRateBench.run(targets, fixedRate, wrkSeconds, 8, fixedRateRounds));
    }
    if (parts.contains("tracing") && tollgateTracing != null) {
      log("tracing on vs off at saturation (wrk, 64 connections, upstream at once)");
      Map<String, ProcessProbe> probes = probes();
      if (tollgateTracingPid > 0) {
        probes.put(TracingBench.TRACING, new ProcessProbe(tollgateTracingPid, null));
      }
      results.put(
          "tracing",
          TracingBench.run(
              targets, tollgate, tollgateTracing, probes, 64, wrkSeconds, tracingRounds));
    }
    if (parts.contains("memory")) {
      log(openStreams + " open slow streams through Tollgate");
      results.put("open_streams", OpenStreamsBench.run(tollgate, tollgatePid, openStreams));
    }
    if (parts.contains("ledger")) {
      log("ledger write rate (" + ledgerRows + " rows)");
      results.put("ledger_rows_per_second", LedgerBench.rowsPerSecond(ledgerRows));
    }
    if (!full) {
      log("partial run: results printed, no report written");
      System.out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(results));
      return 0;
    }

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Files.createDirectories(out.toAbsolutePath().getParent());
    json.writeValue(out.toFile(), results);
    String md = PerformanceReport.markdown(json.readTree(out.toFile()));
    Files.writeString(markdown, md);
    System.out.println(md);
    return 0;
  }

  /** CPU and allocation probes of the plain and realistic Tollgates, where given. */
  private Map<String, ProcessProbe> probes() {
    Map<String, ProcessProbe> probes = new LinkedHashMap<>();
    if (tollgateAdmin != null && tollgatePid > 0) {
      probes.put("tollgate", new ProcessProbe(tollgatePid, tollgateAdmin));
    }
    if (tollgateRealisticAdmin != null && tollgateRealisticPid > 0) {
      probes.put(Targets.REALISTIC, new ProcessProbe(tollgateRealisticPid, tollgateRealisticAdmin));
    }
    return probes;
  }

  private static void log(String what) {
    System.err.println("[bench] " + what);
  }

  /** What the numbers were measured on. */
  static final class Machine {
    static Map<String, Object> describe() throws Exception {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cores", Runtime.getRuntime().availableProcessors());
      String cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse("unknown");
      m.put("cpu", cpu);
      String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D", "");
      m.put("memory_gib", Math.round(Long.parseLong(mem) / 1024.0 / 1024.0));
      m.put("java", System.getProperty("java.version"));
      m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
      return m;
    }

    private Machine() {}
  }
}
