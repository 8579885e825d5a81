package dev.tollgate.errors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Renders a {@link Failure} as an OpenAI-shaped JSON error response. The only place that does. */
public final class ErrorResponses {
  private static final JsonFactory JSON = new JsonFactory();

  private ErrorResponses() {}

  /**
   * Builds {@code {"error":{"message","type","param","code"}}} with the failure's status.
   *
   * @param param the request parameter at fault, or null
   */
  public static FullHttpResponse of(
      ByteBufAllocator alloc, Failure failure, String message, String param) {
    ByteBuf body = alloc.buffer(128 + message.length());
    try (JsonGenerator g =
        JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(body))) {
      g.writeStartObject();
      error(g, failure, message, param);
      g.writeEndObject();
    } catch (IOException e) {
      body.release();
      throw new UncheckedIOException(e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, failure.status(), body);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    return response;
  }

  public static FullHttpResponse of(ByteBufAllocator alloc, Failure failure, String message) {
    return of(alloc, failure, message, null);
  }

  /**
   * The same error as a WebSocket event, {@code {"type":"error","status",...,"error":{...}}}: the
   * shape the Responses socket answers a refused {@code response.create} with (Codex CLI reads its
   * {@code status} as the HTTP status), which Realtime clients read as an error event too.
   */
  public static String socketEvent(Failure failure, String message) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "error");
      g.writeNumberField("status", failure.status().code());
      error(g, failure, message, null);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void error(JsonGenerator g, Failure failure, String message, String param)
      throws IOException {
    g.writeObjectFieldStart("error");
    g.writeStringField("message", message);
    g.writeStringField("type", failure.type());
    g.writeStringField("param", param);
    g.writeStringField("code", failure.code());
    g.writeEndObject();
  }
}
