package dev.tollgate.proxy;

import dev.tollgate.config.NamedUpstream;
import dev.tollgate.config.Provider;
import dev.tollgate.config.RoutingConfig;
import dev.tollgate.errors.Failure;
import dev.tollgate.openai.RequestSummary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;

/**
 * Where a client request goes: the upstream request-target for a {@code /v1/...} path, or the
 * failure to answer with. The authority of an absolute-form URI is ignored: only the configured
 * upstream is ever contacted, so Tollgate cannot be used as an open proxy.
 *
 * @param target upstream request-target (base path + rest + query), or null on failure
 * @param path the client's path without the query, for logs
 * @param failure why the request is refused, or null
 * @param message the error message for a refusal
 * @param provider the provider whose native API the path is under ({@code anthropic} for {@code
 *     /anthropic/...}), or null for the OpenAI API under {@code /v1}
 */
public record Route(
    String target, String path, Failure failure, String message, Provider provider) {

  public static Route resolve(HttpMethod method, String uri, String upstreamBasePath) {
    if (HttpMethod.CONNECT.equals(method)) {
      return refuse(
          Failure.METHOD_NOT_ALLOWED,
          uri,
          "CONNECT is not supported: Tollgate is not a forward proxy");
    }
    String originForm = originForm(uri);
    if (originForm == null) {
      return refuse(Failure.BAD_REQUEST, uri, "Invalid request target: " + abbreviate(uri));
    }
    int q = originForm.indexOf('?');
    String path = q < 0 ? originForm : originForm.substring(0, q);
    String query = q < 0 ? "" : originForm.substring(q);
    Provider nativeApi = Provider.ofNativePath(path).orElse(null);
    if (nativeApi == null && !path.equals("/v1") && !path.startsWith("/v1/")) {
      return refuse(
          Failure.NOT_FOUND,
          path,
          "Unknown route "
              + abbreviate(path)
              + ": Tollgate serves the OpenAI API under /v1/, and the Anthropic, Gemini and Azure"
              + " APIs under /anthropic/v1/, /gemini/v1/ and /openai/deployments/");
    }
    if (hasDotSegment(path)) {
      return refuse(
          Failure.BAD_REQUEST, path, "Request path must not contain '.' or '..' segments");
    }
    // A native API's upstream base path is put in front once its upstream is chosen.
    return nativeApi != null
        ? new Route(nativeApi.upstreamPath(path) + query, path, null, null, nativeApi)
        : new Route(upstreamBasePath + path.substring(3) + query, path, null, null, null);
  }

  /**
   * The request's summary: its body's fields, and for Gemini's native API the model and streaming
   * its path names ({@code models/gemini-2.5-pro:streamGenerateContent}).
   */
  RequestSummary summary(ByteBuf body, RoutingConfig routing) {
    RequestSummary s = RequestSummary.read(new ByteBufInputStream(body.duplicate()));
    if (provider == Provider.AZURE && s.model() == null) {
      // The deployment in the path stands for a model: the config says which, else the
      // response will.
      String deployment = path.substring("/openai/deployments/".length()).split("/", 2)[0];
      NamedUpstream azure = routing.firstOf(Provider.AZURE);
      String model = azure == null ? null : azure.deployments().get(deployment);
      return model == null
          ? s
          : new RequestSummary(model, s.stream(), s.serviceTier(), s.user(), s.maxOutputTokens());
    }
    if (provider != Provider.GEMINI) {
      return s;
    }
    int at = path.indexOf("/models/");
    int colon = path.indexOf(':', at + 1);
    if (at < 0 || colon < 0) {
      return s;
    }
    return new RequestSummary(
        path.substring(at + "/models/".length(), colon),
        path.endsWith(":streamGenerateContent"),
        s.serviceTier(),
        s.user(),
        s.maxOutputTokens());
  }

  public boolean refused() {
    return failure != null;
  }

  private static Route refuse(Failure failure, String path, String message) {
    return new Route(null, path, failure, message, null);
  }

  /** Reduces an absolute-form URI to its path and query; null when the target is unusable. */
  private static String originForm(String uri) {
    if (uri.startsWith("/")) {
      return uri;
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (schemeEnd < 0) {
      return null;
    }
    int slash = uri.indexOf('/', schemeEnd);
    int question = uri.indexOf('?', schemeEnd);
    if (slash < 0 || (question >= 0 && question < slash)) {
      return null;
    }
    return uri.substring(slash);
  }

  private static boolean hasDotSegment(String path) {
    if (path.indexOf('.') < 0 && path.indexOf('%') < 0) {
      return false; // the common case, without allocating
    }
    String decoded =
        path.replace("%2e", ".").replace("%2E", ".").replace("%2f", "/").replace("%2F", "/");
    for (String segment : decoded.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
