package dev.tollgate.telemetry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OTLP/HTTP receiver on loopback: WireMock answers the exporter, and what it was sent is decoded
 * with the protocol's own classes.
 */
public final class OtlpReceiver implements AutoCloseable {
  private final WireMockServer server = new WireMockServer(options().dynamicPort());

  public OtlpReceiver() {
    server.start();
    server.stubFor(
        post("/v1/traces")
            .willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/x-protobuf")));
    server.stubFor(
        post("/v1/metrics")
            .willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/x-protobuf")));
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.port();
  }

  public int requests() {
    return server.getAllServeEvents().size();
  }

  /** Every span received so far. */
  public List<Span> spans() {
    List<Span> out = new ArrayList<>();
    for (LoggedRequest r : server.findAll(postRequestedFor(urlEqualTo("/v1/traces")))) {
      try {
        ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(r.getBody());
        req.getResourceSpansList()
            .forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("not an OTLP trace export: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The resource attributes of the first trace export. */
  public Map<String, String> resource() {
    for (LoggedRequest r : server.findAll(postRequestedFor(urlEqualTo("/v1/traces")))) {
      try {
        return attributes(
            ExportTraceServiceRequest.parseFrom(r.getBody())
                .getResourceSpans(0)
                .getResource()
                .getAttributesList());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return Map.of();
  }

  /** The names of every metric pushed so far. */
  public List<String> metricNames() {
    List<String> out = new ArrayList<>();
    for (LoggedRequest r : server.findAll(postRequestedFor(urlEqualTo("/v1/metrics")))) {
      try {
        ExportMetricsServiceRequest.parseFrom(r.getBody())
            .getResourceMetricsList()
            .forEach(
                rm ->
                    rm.getScopeMetricsList()
                        .forEach(
                            sm ->
                                sm.getMetricsList().stream()
                                    .map(Metric::getName)
                                    .forEach(out::add)));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }

  public static String hex(com.google.protobuf.ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  /** Attributes as text (arrays joined with commas), by key. */
  public static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), text(kv.getValue()));
    }
    return out;
  }

  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case ARRAY_VALUE ->
          String.join(
              ",", v.getArrayValue().getValuesList().stream().map(OtlpReceiver::text).toList());
      default -> v.toString();
    };
  }

  @Override
  public void close() {
    server.stop();
  }
}
