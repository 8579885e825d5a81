package dev.tollgate.metrics;

import dev.tollgate.config.TelemetryConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tollgate's meters pushed over OTLP/HTTP (Micrometer's OTLP registry), for a site without
 * Prometheus: the same meters the scrape shows, under their dotted names. Where they go comes from
 * the same settings as the traces' ({@code OTEL_EXPORTER_OTLP_[METRICS_]ENDPOINT}, headers, service
 * name and resource attributes).
 */
final class OtlpPush {
  private OtlpPush() {}

  /** The push registry {@code config} asks for, started; null when metrics are not pushed. */
  static OtlpMeterRegistry start(TelemetryConfig config) {
    if (!config.metrics()) {
      return null;
    }
    Map<String, String> sdk = config.sdk();
    String url =
        config
            .sdkProperty("otel.exporter.otlp.metrics.endpoint")
            .orElseGet(
                () ->
                    config
                            .sdkProperty("otel.exporter.otlp.endpoint")
                            .orElse("http://localhost:4318")
                            .replaceAll("/+$", "")
                        + "/v1/metrics");
    Map<String, String> resource = pairs(sdk.getOrDefault("otel.resource.attributes", ""));
    resource.put("service.name", sdk.getOrDefault("otel.service.name", "tollgate"));
    Map<String, String> headers =
        pairs(
            sdk.getOrDefault(
                "otel.exporter.otlp.metrics.headers",
                sdk.getOrDefault("otel.exporter.otlp.headers", "")));
    Duration step = config.metricsStep();
    OtlpConfig otlp =
        new OtlpConfig() {
          @Override
          public String get(String key) {
            return null; // every setting below is given; none falls back to Micrometer's lookup
          }

          @Override
          public String url() {
            return url;
          }

          @Override
          public Duration step() {
            return step;
          }

          @Override
          public Map<String, String> resourceAttributes() {
            return resource;
          }

          @Override
          public Map<String, String> headers() {
            return headers;
          }
        };
    return new OtlpMeterRegistry(otlp, Clock.SYSTEM);
  }

  /** {@code k=v,k2=v2} (the OTEL_* list syntax) as a map; blanks and malformed pairs skipped. */
  static Map<String, String> pairs(String list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : list.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return out;
  }
}
