package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.errors.Failure;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTest {
  @ParameterizedTest(name = "{0} {1} with base ''{2}'' -> {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "POST, /v1/chat/completions, /v1, /v1/chat/completions",
        "GET, /v1/models?limit=2&after=x, /v1, /v1/models?limit=2&after=x",
        "GET, /v1, /v1, /v1",
        "POST, /v1/responses, /openai/v1, /openai/v1/responses",
        "POST, /v1/chat/completions, '', /chat/completions",
        "DELETE, /v1/files/file-abc, /v1, /v1/files/file-abc",
        // Absolute-form: the authority is ignored; only the configured upstream is used.
        "GET, http://evil.example:9/v1/models, /v1, /v1/models",
        "GET, HTTPS://evil.example/v1/models?q=1, /v1, /v1/models?q=1",
      })
  void v1PathsMapOntoTheUpstreamBase(String method, String uri, String base, String target) {
    Route route = Route.resolve(HttpMethod.valueOf(method), uri, base == null ? "" : base);
    assertThat(route.refused()).isFalse();
    assertThat(route.target()).isEqualTo(target);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "GET, /, NOT_FOUND",
    "GET, /v2/models, NOT_FOUND",
    "GET, /v1x/models, NOT_FOUND",
    "GET, /admin/calls, NOT_FOUND",
    "GET, /healthz, NOT_FOUND",
    "GET, /v1/../admin, BAD_REQUEST",
    "GET, /v1/%2e%2e/admin, BAD_REQUEST",
    "GET, /v1/./models, BAD_REQUEST",
    "GET, *, BAD_REQUEST",
    "GET, evil.example:443, BAD_REQUEST",
    "GET, http://evil.example, BAD_REQUEST",
    "CONNECT, evil.example:443, METHOD_NOT_ALLOWED",
    "GET, http://evil.example/admin, NOT_FOUND",
  })
  void otherTargetsAreRefused(String method, String uri, Failure failure) {
    Route route = Route.resolve(HttpMethod.valueOf(method), uri, "/v1");
    assertThat(route.refused()).isTrue();
    assertThat(route.failure()).isEqualTo(failure);
    assertThat(route.message()).isNotBlank();
  }
}
