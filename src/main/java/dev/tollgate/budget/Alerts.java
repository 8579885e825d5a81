package dev.tollgate.budget;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.call.Money;
import dev.tollgate.config.BudgetsConfig;
import dev.tollgate.ledger.BudgetLedger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a fired alert everywhere it goes: a WARN log line, a counter, and (when {@code
 * budgets.webhook_url} is set) a signed JSON POST, retried with backoff, its fate recorded in the
 * ledger's budget_alerts row.
 */
public final class Alerts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The signature header: {@code sha256=<hex HMAC-SHA256 of the body with the secret>}. */
  public static final String SIGNATURE = "X-Tollgate-Signature";

  private final BudgetsConfig config;
  private final BudgetLedger ledger;
  private final HttpClient http;
  private final ScheduledExecutorService sender;
  private final Map<String, AtomicLong> fired = new ConcurrentHashMap<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private final AtomicLong undelivered = new AtomicLong();

  public Alerts(BudgetsConfig config, BudgetLedger ledger) {
    this.config = config;
    this.ledger = ledger;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.sender =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tollgate-budget-alerts");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Webhook deliveries so far: delivered, attempts that failed (each retried with backoff), and
   * alerts given up on after {@code budgets.webhook_retries} attempts.
   */
  public long[] deliveries() {
    return new long[] {delivered.get(), failedAttempts.get(), undelivered.get()};
  }

  /** Counts per budget, for {@code tollgate_budget_alerts_total}. */
  public Map<String, AtomicLong> fired() {
    return fired;
  }

  void fire(Alert a) {
    fired.computeIfAbsent(a.budget().name(), b -> new AtomicLong()).incrementAndGet();
    if (a.forecast()) {
      LOG.warn(
          "Budget '{}' ({}) is forecast to reach ${} by {}, past its ${} limit (${} spent so far;"
              + " run-rate of the last {} days)",
          a.budget().name(),
          a.budget().scope(),
          Money.format(Money.fromPico(a.forecastPico())),
          a.window().end(),
          Money.format(Money.fromPico(a.budget().limitPico())),
          Money.format(Money.fromPico(a.spentPico())),
          RunRate.BASIS_DAYS);
    } else {
      LOG.warn(
          "Budget '{}' ({}) reached {}% of its ${} limit: ${} spent this period (to {})",
          a.budget().name(),
          a.budget().scope(),
          a.threshold(),
          Money.format(Money.fromPico(a.budget().limitPico())),
          Money.format(Money.fromPico(a.spentPico())),
          a.window().end());
    }
    if (config.webhook().isPresent()) {
      byte[] body = body(a);
      sender.execute(() -> send(a, body, 1));
    }
  }

  static byte[] body(Alert a) {
    var o = JSON.createObjectNode();
    o.put("type", a.forecast() ? "budget.forecast_crosses_limit" : "budget.threshold_reached");
    o.put("budget", a.budget().name());
    o.put("scope", a.budget().scope().toString());
    o.put("period", a.budget().period().toString());
    o.put("period_start", a.window().start().toString());
    o.put("period_end", a.window().end().toString());
    if (a.forecast()) {
      o.put("forecast_usd", Money.format(Money.fromPico(a.forecastPico())));
      o.put("forecast_basis_days", RunRate.BASIS_DAYS);
    } else {
      o.put("threshold_percent", a.threshold());
    }
    o.put("limit_usd", Money.format(Money.fromPico(a.budget().limitPico())));
    o.put("spent_usd", Money.format(Money.fromPico(a.spentPico())));
    o.put("enforce", a.budget().hard() ? "hard" : "soft");
    o.put("fired_at", a.firedAt().toString());
    o.put("replica", a.replica());
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The signature header's value for {@code body}. */
  public static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void send(Alert a, byte[] body, int attempt) {
    String error;
    try {
      HttpRequest.Builder r =
          HttpRequest.newBuilder(config.webhook().get())
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header(
                  "X-Tollgate-Delivery",
                  a.budget().name() + "/" + a.window().start() + "/" + a.threshold())
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      config.webhookSecret().ifPresent(s -> r.header(SIGNATURE, sign(s, body)));
      int status = http.send(r.build(), BodyHandlers.discarding()).statusCode();
      error = status / 100 == 2 ? null : "HTTP " + status;
    } catch (java.io.IOException | RuntimeException e) {
      // A RuntimeException too: in a scheduled task it would end the attempt without a word.
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    record(a, attempt, error);
    if (error == null) {
      delivered.incrementAndGet();
      return;
    }
    failedAttempts.incrementAndGet();
    if (attempt >= config.webhookRetries()) {
      undelivered.incrementAndGet();
      LOG.error(
          "Budget alert '{}' {}% not delivered after {} attempts: {}",
          a.budget().name(), a.threshold(), attempt, error);
      return;
    }
    long backoffMs = Math.min(60_000, 500L << Math.min(attempt, 7)); // 1 s, 2 s, 4 s ... 60 s
    sender.schedule(() -> send(a, body, attempt + 1), backoffMs, TimeUnit.MILLISECONDS);
  }

  private void record(Alert a, int attempts, String error) {
    try {
      ledger
          .alertRecords()
          .attempt(
              a.budget().name(), a.window().start().toEpochMilli(), a.threshold(), attempts, error);
    } catch (SQLException e) {
      LOG.warn("Budget alert delivery not recorded: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
  }
}
