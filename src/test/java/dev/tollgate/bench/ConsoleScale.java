package dev.tollgate.bench;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The console's queries on a big ledger (bench/console-scale.sh). {@code fill DIR N [JDBC_URL]}
 * writes N calls through the real ledger writer, spread as a large site's are (30 days back, 20
 * teams, 200 keys, 2,000 users, 15 models, 4 tiers, 3 providers; 1 % unpriced, 2 % estimated);
 * {@code query ADMIN_PORT} times each request the console's pages make, and a month's FOCUS export,
 * against a running Tollgate on that ledger, and prints p50 and p99 per request (after a cold one).
 */
public final class ConsoleScale {
  private static final String[] TIERS = {null, null, null, "flex", "priority", "batch"};
  private static final String[] PROVIDERS = {"openai", "openai", "anthropic", "gemini"};

  private ConsoleScale() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("fill")) {
      fill(Path.of(args[1]), Long.parseLong(args[2]), args.length > 3 ? args[3] : null);
    } else if (args.length == 2 && args[0].equals("query")) {
      query(Integer.parseInt(args[1]));
    } else {
      System.err.println("usage: ConsoleScale fill DIR CALLS [JDBC_URL] | query ADMIN_PORT");
      System.exit(2);
    }
  }

  static Call call(long i, Random r, Instant at) {
    int key = r.nextInt(200);
    String team = "team-" + (key % 20);
    String model = "model-" + r.nextInt(15);
    String tier = TIERS[r.nextInt(TIERS.length)];
    int roll = r.nextInt(100);
    PricingStatus status =
        roll == 0
            ? PricingStatus.UNPRICED
            : roll < 3 ? PricingStatus.ESTIMATED : PricingStatus.PRICED;
    long in = 200 + r.nextInt(4000);
    long out = 20 + r.nextInt(800);
    Usage usage = new Usage(in, in / 4, 0, out, out / 3, 0, 0);
    Map<CostComponent, BigDecimal> cost =
        status == PricingStatus.UNPRICED
            ? Map.of()
            : Map.of(
                CostComponent.INPUT,
                BigDecimal.valueOf(usage.uncachedInput() * 250L, 8),
                CostComponent.CACHED_INPUT,
                BigDecimal.valueOf(usage.cachedInput() * 25L, 8),
                CostComponent.OUTPUT,
                BigDecimal.valueOf(usage.visibleOutput() * 1000L, 8),
                CostComponent.REASONING,
                BigDecimal.valueOf(usage.reasoning() * 1000L, 8));
    return new Call(
        new Call.Request(
            "scale-" + i,
            at,
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            model,
            tier,
            r.nextInt(4) == 0,
            new Attribution(
                team,
                "project-" + (key % 40),
                "user-" + r.nextInt(2000),
                "key-" + key,
                Map.of("env", r.nextBoolean() ? "prod" : "dev"),
                false)),
        new Call.Relay(200, Outcome.OK, new Timings(900_000_000L, 300_000_000L, 250_000_000L)),
        new Call.Served(
            "api.example.com",
            model,
            tier,
            usage,
            Map.of(),
            null,
            PROVIDERS[key % PROVIDERS.length]),
        new Call.Charge(
            status,
            status == PricingStatus.UNPRICED ? null : model + "@2026-01-01",
            Cost.of(cost),
            status == PricingStatus.UNPRICED
                ? List.of(Reason.of(Reason.Kind.NO_PRICE, model))
                : status == PricingStatus.ESTIMATED
                    ? List.of(Reason.of(Reason.Kind.USAGE_MISSING))
                    : List.of(),
            Map.of()));
  }

  /** Through the real writer, at most 200k calls in flight (the queue never holds them all). */
  static void fill(Path dir, long n, String url) throws Exception {
    Files.createDirectories(dir);
    LedgerConfig config =
        new LedgerConfig(Optional.ofNullable(url), Duration.ofMillis(100), 5000, 250_000, 0, 2);
    Random r = new Random(42);
    Instant end = Instant.now();
    long span = Duration.ofDays(30).toMillis();
    long start = System.nanoTime();
    try (Database db = Database.open(config, dir);
        LedgerWriter writer = new LedgerWriter(db, config)) {
      for (long i = 0; i < n; i++) {
        // Oldest first, as calls arrive; spread evenly over the 30 days.
        Instant at = end.minusMillis(span - span * i / n);
        writer.offer(call(i, r, at));
        if (i % 50_000 == 0) {
          while (i - writer.written() > 200_000) {
            Thread.sleep(5);
          }
          if (i % 1_000_000 == 0 && i > 0) {
            System.out.printf(
                "[fill] %,d calls, %,.0f rows/s%n", i, i / ((System.nanoTime() - start) / 1e9));
          }
        }
      }
      while (writer.written() < n) {
        Thread.sleep(20);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "[fill] %,d calls in %.0f s: %,.0f rows/s with every index%n", n, seconds, n / seconds);
    if (url != null) {
      vacuumIfAutovacuumIsOff(url);
    }
    long bytes = diskBytes(dir, url);
    System.out.printf(
        "[fill] on disk: %,d bytes, %,.0f bytes per million calls%n", bytes, bytes / (n / 1e6));
  }

  /**
   * A server with autovacuum off (the PostgreSQL of this workplace's machines) would leave the
   * fill's tables with no statistics and no page marked all-visible, which no real ledger is: there
   * autovacuum visits them within minutes of the writes (V17 and V19 ask it to). So the fill then
   * does what autovacuum would, once, and says so.
   */
  static void vacuumIfAutovacuumIsOff(String url) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(url);
        var s = c.createStatement()) {
      String autovacuum;
      try (var r = s.executeQuery("SHOW autovacuum")) {
        r.next();
        autovacuum = r.getString(1);
      }
      if (autovacuum.equals("on")) {
        return;
      }
      long start = System.nanoTime();
      s.execute("VACUUM (ANALYZE)");
      System.out.printf(
          "[fill] autovacuum is off on this server: VACUUM (ANALYZE) run once in its place,"
              + " %.0f s%n",
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** The ledger's size: SQLite's files, or every table and index of the PostgreSQL schema. */
  static long diskBytes(Path dir, String url) throws Exception {
    if (url == null) {
      long sum = 0;
      try (var files = Files.list(dir)) {
        for (Path f :
            files.filter(f -> f.getFileName().toString().startsWith("ledger.db")).toList()) {
          sum += Files.size(f);
        }
      }
      return sum;
    }
    try (var c = java.sql.DriverManager.getConnection(url);
        var r =
            c.createStatement()
                .executeQuery(
                    "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relkind = 'r' AND n.nspname = current_schema()")) {
      r.next();
      return r.getLong(1);
    }
  }

  static void query(int adminPort) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + adminPort;
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String m0 = today.withDayOfMonth(1).toString();
    String tomorrow = today.plusDays(1).toString();
    String month = "from=" + today.minusDays(29) + "&to=" + tomorrow;
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put("overview: today", "/admin/spend?from=" + today + "&to=" + tomorrow);
    requests.put("overview: month to date", "/admin/spend?from=" + m0 + "&to=" + tomorrow);
    requests.put("overview: forecast", "/admin/forecast");
    requests.put(
        "overview: 30 days by day and team", "/admin/spend?" + month + "&group_by=day,team");
    requests.put(
        "overview: today by hour and team",
        "/admin/spend?from=" + today + "&to=" + tomorrow + "&group_by=hour,team");
    requests.put("30 days by hour and model", "/admin/spend?" + month + "&group_by=hour,model");
    requests.put("overview: top models", "/admin/spend?" + month + "&group_by=model");
    requests.put("overview: top keys", "/admin/spend?" + month + "&group_by=key");
    requests.put("teams", "/admin/spend?" + month + "&group_by=team");
    requests.put("team → projects", "/admin/spend?" + month + "&group_by=project&team=team-3");
    requests.put(
        "project → keys", "/admin/spend?" + month + "&group_by=key&team=team-3&project=project-3");
    requests.put(
        "project → users",
        "/admin/spend?" + month + "&group_by=user&team=team-3&project=project-3");
    requests.put(
        "key → models",
        "/admin/spend?" + month + "&group_by=model&team=team-3&project=project-3&key=key-3");
    requests.put("teams CSV", "/admin/spend?" + month + "&group_by=team&format=csv");
    requests.put("budgets", "/admin/budgets");
    requests.put("calls: newest 50", "/admin/calls?limit=50");
    requests.put("calls: one team's 50", "/admin/calls?limit=50&team=team-7");
    requests.put("calls: by request id", "/admin/calls?limit=50&id=scale-12345");
    requests.put("calls: unpriced", "/admin/calls?limit=50&status=unpriced");
    requests.put("prices: unpriced models", "/admin/unpriced");
    requests.put("prices: models", "/admin/prices/models");
    requests.put("spend by provider (raw calls)", "/admin/spend?" + month + "&group_by=provider");
    System.out.printf(
        "%-36s %8s %8s %8s %5s %12s%n", "request", "p50 ms", "p99 ms", "cold ms", "n", "bytes");
    for (Map.Entry<String, String> e : requests.entrySet()) {
      // The first is a cold read, shown apart; then up to 100 warm ones, or 20 s of them.
      List<Long> warm = new ArrayList<>();
      long cold = -1;
      long bytes = 0;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (warm.size() < 100 && (warm.size() < 10 || System.nanoTime() < deadline)) {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + e.getValue())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (r.statusCode() != 200) {
          throw new IllegalStateException(e.getValue() + " answered " + r.statusCode());
        }
        bytes = r.body().length;
        if (cold < 0) {
          cold = ms;
        } else {
          warm.add(ms);
        }
      }
      warm.sort(null);
      System.out.printf(
          "%-36s %8d %8d %8d %5d %,12d%n",
          e.getKey(),
          warm.get(warm.size() / 2),
          warm.get(Math.min(warm.size() - 1, (int) Math.ceil(warm.size() * 0.99) - 1)),
          cold,
          warm.size(),
          bytes);
    }
    if (Boolean.getBoolean("scale.noExport")) {
      return; // -Dscale.noExport=true: the report queries only, for a quick before/after
    }
    long t0 = System.nanoTime();
    HttpResponse<InputStream> focus =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/admin/export/focus?" + month)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long firstByte = (System.nanoTime() - t0) / 1_000_000;
    long size;
    try (InputStream in = focus.body()) {
      size = in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    System.out.printf(
        "%-36s %10s %10d %,12d  (first byte after %d ms)%n",
        "FOCUS export, 30 days", "", (System.nanoTime() - t0) / 1_000_000, size, firstByte);
  }
}
