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
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
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
  static final AttributeKey<String> TIER = stringKey("tollgate.service_tier");
  static final AttributeKey<String> TEAM = stringKey("tollgate.team");
  static final AttributeKey<String> PROJECT = stringKey("tollgate.project");
  static final AttributeKey<String> KEY = stringKey("tollgate.key");
  static final AttributeKey<String> REQUEST_ID = stringKey("tollgate.request_id");
  static final AttributeKey<String> SESSION_ID = stringKey("tollgate.session_id");
  static final AttributeKey<String> OUTCOME = stringKey("tollgate.outcome");
  static final AttributeKey<String> UPSTREAM = stringKey("tollgate.upstream");

  private CallAttributes() {}

  /** The server span's: what was asked, served, counted and charged, and to whom. */
  static Attributes server(Call c) {
    AttributesBuilder b = Attributes.builder();
    b.put(OPERATION, GenAi.operation(c.asked().api()));
    b.put(PROVIDER, GenAi.provider(c));
    putIf(b, REQUEST_MODEL, c.asked().model());
    putIf(b, RESPONSE_MODEL, c.served().model());
    putIf(b, RESPONSE_ID, c.served().responseId());
    if (!c.served().finishReasons().isEmpty()) {
      b.put(FINISH_REASONS, c.served().finishReasons());
    }
    putIf(b, REQUEST_TIER, c.asked().tier());
    putIf(b, RESPONSE_TIER, c.served().tier());
    Usage u = c.usage();
    b.put(INPUT_TOKENS, u.input());
    b.put(OUTPUT_TOKENS, u.output());
    b.put(CACHED_TOKENS, u.cachedInput());
    b.put(CACHE_WRITE_TOKENS, u.cacheWrite());
    b.put(REASONING_TOKENS, u.reasoning());
    BigDecimal cost = c.cost().total();
    b.put(COST, Money.format(cost));
    b.put(COST_DOUBLE, cost.doubleValue());
    b.put(PRICING_STATUS, c.status().label());
    putIf(b, PRICE_VERSION, c.charge().priceVersion());
    b.put(TIER, c.tier().name());
    b.put(TEAM, c.attribution().team());
    putIf(b, PROJECT, c.attribution().project());
    putIf(b, KEY, c.attribution().key());
    b.put(REQUEST_ID, c.id());
    putIf(b, SESSION_ID, c.asked().session());
    putIf(b, METHOD, c.asked().method());
    putIf(b, ROUTE, c.asked().path());
    b.put(STATUS, (long) c.relay().status());
    b.put(OUTCOME, c.relay().outcome().code());
    if (!c.relay().outcome().ok()) {
      b.put(ERROR_TYPE, c.relay().outcome().code());
    } else if (c.relay().status() >= 500) {
      b.put(ERROR_TYPE, Integer.toString(c.relay().status()));
    }
    return b.build();
  }

  /** The upstream hop's: where it went and what came back. */
  static Attributes client(Call c) {
    AttributesBuilder b = Attributes.builder();
    b.put(OPERATION, GenAi.operation(c.asked().api()));
    b.put(PROVIDER, GenAi.provider(c));
    putIf(b, REQUEST_MODEL, c.asked().model());
    putIf(b, METHOD, c.asked().method());
    putIf(b, SERVER, c.served().upstream());
    putIf(b, UPSTREAM, c.served().provider());
    b.put(STATUS, (long) c.relay().status());
    return b.build();
  }

  private static void putIf(AttributesBuilder b, AttributeKey<String> key, String value) {
    if (value != null && !value.isEmpty()) {
      b.put(key, value);
    }
  }
}
