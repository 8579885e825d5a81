package dev.tollgate.proxy;

import dev.tollgate.config.NamedUpstream;
import dev.tollgate.config.Provider;
import dev.tollgate.config.RoutingConfig;
import dev.tollgate.errors.Failure;
import dev.tollgate.openai.MultipartFields;
import dev.tollgate.openai.RequestSummary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Where a client request goes: the upstream request-target for a {@code /v1/...} path (or a
 * provider's native API), or the failure to answer with. Built from the {@link RequestTarget}, so
 * the path is already in its one canonical spelling.
 *
 * @param target upstream request-target (base path + rest + query), or null on failure
 * @param path the client's path in its canonical spelling ({@link CanonicalPath}), without the
 *     query: what is classified, budgeted, logged and (under the upstream's base) forwarded
 * @param failure why the request is refused, or null
 * @param message the error message for a refusal
 * @param provider the provider whose native API the path is under ({@code anthropic} for {@code
 *     /anthropic/...}), or null for the OpenAI API under {@code /v1}
 */
public record Route(
    String target, String path, Failure failure, String message, Provider provider) {

  /** Both steps at once: the canonical target, then where it goes. */
  public static Route resolve(HttpMethod method, String uri, String upstreamBasePath) {
    return resolve(RequestTarget.of(method, uri), upstreamBasePath);
  }

  static Route resolve(RequestTarget target, String upstreamBasePath) {
    if (target.refused()) {
      return refuse(target.failure(), target.path(), target.message());
    }
    String path = target.path();
    String query = target.query();
    Provider nativeApi = Provider.ofNativePath(path).orElse(null);
    if (nativeApi == null && !path.equals("/v1") && !path.startsWith("/v1/")) {
      return refuse(
          Failure.NOT_FOUND,
          path,
          "Unknown route "
              + RequestTarget.abbreviate(path)
              + ": Tollgate serves the OpenAI API under /v1/, and the Anthropic, Gemini and Azure"
              + " APIs under /anthropic/v1/, /gemini/v1/ and /openai/deployments/");
    }
    // A native API's upstream base path is put in front once its upstream is chosen.
    return nativeApi != null
        ? new Route(nativeApi.upstreamPath(path) + query, path, null, null, nativeApi)
        : new Route(upstreamBasePath + path.substring(3) + query, path, null, null, null);
  }

  /** The same route with its query replaced (a key taken out of it). */
  Route withQuery(String query) {
    int q = target.indexOf('?');
    return new Route(
        (q < 0 ? target : target.substring(0, q)) + query, path, failure, message, provider);
  }

  /**
   * The request's summary: its body's fields, and for Gemini's native API the model and streaming
   * its path names ({@code models/gemini-2.5-pro:streamGenerateContent}).
   */
  RequestSummary summary(ByteBuf body, String contentType, RoutingConfig routing) {
    String boundary = MultipartFields.boundary(contentType);
    RequestSummary s =
        boundary != null
            ? RequestSummary.EMPTY.withModel(multipartModel(body, boundary), false)
            : RequestSummary.read(new ByteBufInputStream(body.duplicate()));
    if (provider == Provider.AZURE && s.model() == null) {
      // The deployment in the path stands for a model: the config says which, else the
      // response will.
      String deployment = path.substring("/openai/deployments/".length()).split("/", 2)[0];
      NamedUpstream azure = routing.firstOf(Provider.AZURE);
      String model = azure == null ? null : azure.deployments().get(deployment);
      return model == null ? s : s.withModel(model, s.stream());
    }
    if (provider != Provider.GEMINI) {
      return s;
    }
    int at = path.indexOf("/models/");
    int colon = path.indexOf(':', at + 1);
    if (at < 0 || colon < 0) {
      return s;
    }
    return s.withModel(
        path.substring(at + "/models/".length(), colon), path.endsWith(":streamGenerateContent"));
  }

  /** Bytes of an upload read for its model: its start and its end, never the file between. */
  private static final int MULTIPART_SCAN = 64 * 1024;

  /**
   * The {@code model} form field of an upload (an audio transcription): looked for in the first and
   * the last 64 KiB, where SDKs put their text fields (before or after the file).
   */
  private static String multipartModel(ByteBuf body, String boundary) {
    int n = body.readableBytes();
    byte[] head = new byte[Math.min(n, MULTIPART_SCAN)];
    body.getBytes(body.readerIndex(), head);
    String model = MultipartFields.field(head, head.length, boundary, "model");
    if (model == null && n > MULTIPART_SCAN) {
      byte[] tail = new byte[Math.min(n, MULTIPART_SCAN)];
      body.getBytes(body.readerIndex() + n - tail.length, tail);
      model = MultipartFields.field(tail, tail.length, boundary, "model");
    }
    return model;
  }

  public boolean refused() {
    return failure != null;
  }

  private static Route refuse(Failure failure, String path, String message) {
    return new Route(null, path, failure, message, null);
  }
}
