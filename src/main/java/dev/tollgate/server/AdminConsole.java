package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.ConsoleConfig;
import dev.tollgate.console.Principal;
import dev.tollgate.console.Sessions;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The spend console: its pages (static files in the jar, and uPlot from its WebJar), and its
 * sign-in. Every answer carries a strict Content-Security-Policy: scripts, styles and data only
 * from this origin, no frames, no inline code. The token is sent once, in a POST body, and becomes
 * an HttpOnly, SameSite=Strict session cookie (Secure behind TLS); it is never put in a URL.
 */
final class AdminConsole {
  static final String ROOT = "/console";
  static final String SESSION = ROOT + "/session";
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";
  private static final Map<String, String> ASSETS =
      Map.of(
          "/console/", "tollgate/console/index.html",
          "/console/app.js", "tollgate/console/app.js",
          "/console/pages.js", "tollgate/console/pages.js",
          "/console/app.css", "tollgate/console/app.css",
          "/console/vendor/uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js",
          "/console/vendor/uPlot.min.css", UPLOT + "uPlot.min.css");

  private final ConsoleConfig config;
  private final AdminAuth auth;
  private final Clock clock;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  AdminConsole(ConsoleConfig config, AdminAuth auth, Clock clock) {
    this.config = config;
    this.auth = auth;
    this.clock = clock;
  }

  static boolean answers(String path) {
    return path.equals(ROOT) || path.startsWith(ROOT + "/");
  }

  /** Blocking (sign-in reads the viewers): call off the event loop. */
  FullHttpResponse answer(
      FullHttpRequest request, String path, SocketAddress remote, ByteBufAllocator alloc)
      throws Exception {
    if (!config.enabled()) {
      return secured(
          ErrorResponses.of(
              alloc, Failure.NOT_FOUND, "The console is off (admin.console.enabled: false)"));
    }
    HttpMethod method = request.method();
    if (path.equals(SESSION)) {
      return secured(session(request, method, remote, alloc));
    }
    if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      return secured(
          ErrorResponses.of(alloc, Failure.METHOD_NOT_ALLOWED, "The console's pages take GET"));
    }
    if (path.equals(ROOT)) {
      FullHttpResponse r =
          AdminQueries.body(HttpResponseStatus.MOVED_PERMANENTLY, "text/plain", "");
      r.headers().set(HttpHeaderNames.LOCATION, ROOT + "/");
      return secured(r);
    }
    String resource = ASSETS.get(path);
    byte[] bytes = resource == null ? null : asset(resource);
    if (bytes == null) {
      return secured(ErrorResponses.of(alloc, Failure.NOT_FOUND, "No console page " + path));
    }
    FullHttpResponse r = AdminQueries.body(HttpResponseStatus.OK, type(path), bytes);
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    return secured(r);
  }

  private FullHttpResponse session(
      FullHttpRequest request, HttpMethod method, SocketAddress remote, ByteBufAllocator alloc)
      throws Exception {
    boolean secure = secure(request.headers());
    if (HttpMethod.DELETE.equals(method)) {
      FullHttpResponse r =
          AdminQueries.body(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, "{}");
      r.headers().add(HttpHeaderNames.SET_COOKIE, cookie("", 0, secure));
      return r;
    }
    if (HttpMethod.GET.equals(method)) {
      String value = AdminAuth.cookie(request);
      Optional<Principal> who = value == null ? Optional.empty() : auth.session(value);
      if (who.isEmpty() && value == null) {
        // No admin token set and a loopback client: the console is the admin's, as the API is.
        who = auth.signIn(null, remote);
        if (who.isPresent()) {
          return signedIn(who.get(), secure);
        }
      }
      // Not signed in is an answer, not an error: the page asks on every load.
      return who.isPresent()
          ? answer(who.get(), value)
          : AdminQueries.body(
              HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, "{\"signed_in\":false}");
    }
    if (!HttpMethod.POST.equals(method)) {
      return ErrorResponses.of(
          alloc, Failure.METHOD_NOT_ALLOWED, SESSION + " takes GET, POST or DELETE");
    }
    String token;
    try {
      JsonNode body = JSON.readTree(ByteBufUtil.getBytes(request.content()));
      token = body == null ? null : body.path("token").asText(null);
    } catch (IOException e) {
      return ErrorResponses.of(alloc, Failure.BAD_REQUEST, "Sign in with {\"token\": \"...\"}");
    }
    Optional<Principal> who = auth.signIn(token, remote);
    if (who.isEmpty()) {
      return ErrorResponses.of(
          alloc, Failure.UNAUTHORIZED, "Not the admin token nor a valid viewer token");
    }
    return signedIn(who.get(), secure);
  }

  private FullHttpResponse signedIn(Principal who, boolean secure) {
    String value = auth.sessions().issue(who, clock.instant());
    FullHttpResponse r = answer(who, value);
    r.headers()
        .add(HttpHeaderNames.SET_COOKIE, cookie(value, auth.sessions().ttl().toSeconds(), secure));
    return r;
  }

  /** Who is signed in, and the CSRF token the page sends with every action. */
  private FullHttpResponse answer(Principal who, String session) {
    ObjectNode json = JSON.createObjectNode();
    json.put("role", who.role());
    json.put("name", who.name());
    if (who.team() != null) {
      json.put("team", who.team());
    }
    json.put("csrf", auth.sessions().csrf(session));
    FullHttpResponse r =
        AdminQueries.body(
            HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, json.toString());
    r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return r;
  }

  private String cookie(String value, long maxAgeSeconds, boolean secure) {
    DefaultCookie c = new DefaultCookie(Sessions.COOKIE, value);
    c.setHttpOnly(true);
    c.setSameSite(CookieHeaderNames.SameSite.Strict);
    c.setPath("/");
    c.setMaxAge(maxAgeSeconds);
    c.setSecure(secure);
    return ServerCookieEncoder.STRICT.encode(c);
  }

  private boolean secure(HttpHeaders headers) {
    return switch (config.secureCookie()) {
      case "on" -> true;
      case "off" -> false;
      default -> "https".equalsIgnoreCase(headers.get("x-forwarded-proto", ""));
    };
  }

  /** The console's security headers, on everything it answers. */
  static FullHttpResponse secured(FullHttpResponse r) {
    r.headers()
        .set("content-security-policy", CSP)
        .set("x-content-type-options", "nosniff")
        .set("x-frame-options", "DENY")
        .set("referrer-policy", "no-referrer")
        .set("cross-origin-opener-policy", "same-origin")
        .set("cross-origin-resource-policy", "same-origin");
    return r;
  }

  private byte[] asset(String resource) throws IOException {
    byte[] cached = cache.get(resource);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = AdminConsole.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readAllBytes();
      cache.put(resource, bytes);
      return bytes;
    }
  }

  private static String type(String path) {
    if (path.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (path.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/html; charset=utf-8";
  }
}
