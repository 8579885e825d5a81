package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.attribution.KeyEntry;
import dev.tollgate.attribution.KeyFile;
import dev.tollgate.attribution.KeyStore;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * {@code /admin/keys}: list keys ({@code GET}), issue one ({@code POST}, the secret is in the
 * answer once), revoke one ({@code DELETE /admin/keys/{name}}). Changes go to {@code keys.yaml} and
 * are in force when the answer is sent: the keys are reloaded before it.
 */
final class AdminKeys {
  static final String PATH = "/admin/keys";
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper READER = new ObjectMapper();

  private final KeyStore file;
  private final Runnable reload;

  /**
   * @param reload makes the proxy use the file as it is now
   */
  AdminKeys(KeyStore file, Runnable reload) {
    this.file = file;
    this.reload = reload;
  }

  static boolean answers(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  /** Null when {@code method} fits {@code path}, else what to tell the caller. */
  static String methodProblem(HttpMethod method, String path) {
    boolean one = path.startsWith(PATH + "/");
    if (one) {
      return HttpMethod.DELETE.equals(method) ? null : PATH + "/{name} takes DELETE";
    }
    return HttpMethod.GET.equals(method)
            || HttpMethod.HEAD.equals(method)
            || HttpMethod.POST.equals(method)
        ? null
        : PATH + " takes GET or POST";
  }

  /** Blocking (file I/O): the admin handler runs it on its executor. */
  FullHttpResponse answer(HttpMethod method, String path, byte[] body, ByteBufAllocator alloc)
      throws IOException {
    try {
      if (HttpMethod.DELETE.equals(method)) {
        String name = QueryStringDecoder.decodeComponent(path.substring(PATH.length() + 1));
        int n = file.revoke(name);
        reload.run();
        return json(
            HttpResponseStatus.OK,
            g -> {
              g.writeStringField("name", name);
              g.writeBooleanField("revoked", true);
              g.writeNumberField("entries", n);
            });
      }
      if (HttpMethod.POST.equals(method)) {
        return issue(body, alloc);
      }
      List<KeyEntry> entries = file.list();
      Instant now = Instant.now();
      return json(
          HttpResponseStatus.OK,
          g -> {
            g.writeArrayFieldStart("keys");
            for (KeyEntry e : entries) {
              g.writeStartObject();
              write(g, e, now);
              g.writeEndObject();
            }
            g.writeEndArray();
          });
    } catch (KeyFile.Refused e) {
      Failure failure =
          switch (e.problem()) {
            case INVALID -> Failure.BAD_REQUEST;
            case NAME_TAKEN -> Failure.KEY_NAME_TAKEN;
            case NOT_FOUND -> Failure.KEY_NOT_FOUND;
            case UNWRITABLE -> Failure.KEYS_FILE_UNWRITABLE;
          };
      return ErrorResponses.of(alloc, failure, e.getMessage());
    }
  }

  private FullHttpResponse issue(byte[] body, ByteBufAllocator alloc) throws IOException {
    JsonNode request;
    try {
      request = READER.readTree(body);
    } catch (IOException e) {
      return ErrorResponses.of(alloc, Failure.BAD_REQUEST, "The body must be a JSON object");
    }
    if (request == null || !request.isObject()) {
      return ErrorResponses.of(alloc, Failure.BAD_REQUEST, "The body must be a JSON object");
    }
    Instant expires = null;
    String expiresText = text(request, "expires");
    if (expiresText != null) {
      try {
        expires = KeyFile.parseExpiry(expiresText, Instant.now());
      } catch (IllegalArgumentException e) {
        return ErrorResponses.of(alloc, Failure.BAD_REQUEST, e.getMessage(), "expires");
      }
    }
    if (text(request, "team") == null) {
      return ErrorResponses.of(alloc, Failure.BAD_REQUEST, "A key needs a team", "team");
    }
    KeyFile.Issued issued =
        file.issue(
            new KeyFile.NewKey(
                text(request, "team"),
                text(request, "project"),
                text(request, "user"),
                text(request, "name"),
                expires));
    reload.run();
    Instant now = Instant.now();
    return json(
        HttpResponseStatus.CREATED,
        g -> {
          g.writeStringField("key", issued.secret()); // shown here once, never again
          write(g, issued.entry(), now);
        });
  }

  private static void write(JsonGenerator g, KeyEntry e, Instant now) throws IOException {
    g.writeStringField("name", e.name());
    g.writeStringField("kind", e.virtual() ? "virtual" : "passthrough");
    g.writeStringField("team", e.team());
    g.writeStringField("project", e.project());
    g.writeStringField("user", e.user());
    g.writeStringField("created", e.created());
    g.writeStringField("expires", e.expires() == null ? null : e.expires().toString());
    g.writeStringField("state", e.revoked() ? "revoked" : e.expiredAt(now) ? "expired" : "active");
  }

  private static String text(JsonNode request, String field) {
    JsonNode v = request.get(field);
    return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText().trim();
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static FullHttpResponse json(HttpResponseStatus status, Fields fields)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    }
    return AdminQueries.body(status, HttpHeaderValues.APPLICATION_JSON, out.toByteArray());
  }
}
