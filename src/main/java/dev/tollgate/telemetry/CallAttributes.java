package dev.tollgate.telemetry;

import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.tollgate.call.Call;
import dev.tollgate.call.GenAi;
import dev.tollgate.call.Money;
import dev.tollgate.call.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import java.math.BigDecimal;
import java.util.List;

/**
 * A finished call as span attributes: the OpenTelemetry GenAI semantic conventions' names where
 * they have one, Tollgate's own under {@code tollgate.*}. Never a key, a token or (unless asked
 * for) a prompt: the key is named by its name or fingerprint, as in the ledger. The table is in
 * docs/OBSERVABILITY.md.
 */
final class CallAttributes {
  static final AttributeKey<String> OPERATION = stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> FINISH_REASONS =
      stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> REQUEST_TIER = stringKey("openai.request.service_tier");
  static final AttributeKey<String> RESPONSE_TIER = stringKey("openai.response.service_tier");
  static final AttributeKey<String> METHOD = stringKey("http.request.method");
  static final AttributeKey<String> ROUTE = stringKey("http.route");
  // Measured (bench/run.sh's tracing part, per-thread CPU): each attribute costs ~0.15 µs of
  // export CPU per span, and every call exports two spans; so the client span carries only what
  // its parent cannot say, and the server span nothing the span's name or another attribute does.
  static final AttributeKey<Long> STATUS = longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
  static final AttributeKey<String> SERVER = stringKey("server.address");

  static final AttributeKey<Long> CACHED_TOKENS = longKey("tollgate.usage.cached_input_tokens");
  static final AttributeKey<Long> CACHE_WRITE_TOKENS = longKey("tollgate.usage.cache_write_tokens");
  static final AttributeKey<Long> REASONING_TOKENS = longKey("tollgate.usage.reasoning_tokens");
  static final AttributeKey<String> COST = stringKey("tollgate.cost.usd");
  static final AttributeKey<Double> COST_DOUBLE = doubleKey("tollgate.cost.usd_double");
  static final AttributeKey<String> PRICING_STATUS = stringKey("tollgate.pricing.status");
  static final AttributeKey<String> PRICE_VERSION = stringKey("tollgate.price_version");
  static final AttributeKey<String> TEAM = stringKey("tollgate.team");
  static final AttributeKey<String> PROJECT = stringKey("tollgate.project");
  static final AttributeKey<String> KEY = stringKey("tollgate.key");
  static final AttributeKey<String> REQUEST_ID = stringKey("tollgate.request_id");
  static final AttributeKey<String> SESSION_ID = stringKey("tollgate.session_id");
  static final AttributeKey<String> OUTCOME = stringKey("tollgate.outcome");

  private CallAttributes() {}

  /**
   * The server span's: what was asked, served, counted and charged, and to whom. Set on the builder
   * itself: an {@code Attributes} in between would be built, sorted and copied per call.
   */
  static void server(Call c, SpanBuilder b) {
    b.setAttribute(OPERATION, GenAi.operation(c.asked().api()));
    b.setAttribute(PROVIDER, GenAi.provider(c));
    putIf(b, REQUEST_MODEL, c.asked().model());
    putIf(b, RESPONSE_MODEL, c.served().model());
    putIf(b, RESPONSE_ID, c.served().responseId());
    if (!c.served().finishReasons().isEmpty()) {
      b.setAttribute(FINISH_REASONS, c.served().finishReasons());
    }
    putIf(b, RESPONSE_TIER, c.served().tier());
    if (c.served().tier() == null) {
      putIf(b, REQUEST_TIER, c.asked().tier()); // what was asked, when the answer did not say
    }
    Usage u = c.usage();
    b.setAttribute(INPUT_TOKENS, u.input());
    b.setAttribute(OUTPUT_TOKENS, u.output());
    // The subsets only when there are any: absent means none.
    putIf(b, CACHED_TOKENS, u.cachedInput());
    putIf(b, CACHE_WRITE_TOKENS, u.cacheWrite());
    putIf(b, REASONING_TOKENS, u.reasoning());
    BigDecimal cost = c.cost().total();
    b.setAttribute(COST, Money.format(cost));
    b.setAttribute(COST_DOUBLE, cost.doubleValue());
    b.setAttribute(PRICING_STATUS, c.status().label());
    putIf(b, PRICE_VERSION, c.charge().priceVersion());
    b.setAttribute(TEAM, c.attribution().team());
    putIf(b, PROJECT, c.attribution().project());
    putIf(b, KEY, c.attribution().key());
    b.setAttribute(REQUEST_ID, c.id());
    putIf(b, SESSION_ID, c.asked().session());
    b.setAttribute(STATUS, (long) c.relay().status());
    if (!c.relay().outcome().ok()) {
      b.setAttribute(OUTCOME, c.relay().outcome().code());
      b.setAttribute(ERROR_TYPE, c.relay().outcome().code());
    } else if (c.relay().status() >= 500) {
      b.setAttribute(ERROR_TYPE, Integer.toString(c.relay().status()));
    }
  }

  /**
   * The upstream hop's: where it went and what came back. The call's own facts are on its parent
   * only: at every call's two spans, each attribute repeated is bytes exported for nothing.
   */
  static void client(Call c, SpanBuilder b) {
    putIf(b, SERVER, c.served().upstream());
    b.setAttribute(STATUS, (long) c.relay().status());
  }

  private static void putIf(SpanBuilder b, AttributeKey<Long> key, long value) {
    if (value != 0) {
      b.setAttribute(key, value);
    }
  }

  private static void putIf(SpanBuilder b, AttributeKey<String> key, String value) {
    if (value != null && !value.isEmpty()) {
      b.setAttribute(key, value);
    }
  }
}
