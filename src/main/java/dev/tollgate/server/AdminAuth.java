package dev.tollgate.server;

import dev.tollgate.config.AdminConfig;
import dev.tollgate.console.Principal;
import dev.tollgate.console.Sessions;
import dev.tollgate.errors.Failure;
import dev.tollgate.ledger.ViewerTokens;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Who an admin request comes from: the admin token (a bearer), a viewer token (a bearer, {@code
 * tgv-...}), or a console session cookie; without an admin token set, a loopback client is the
 * admin. A cookie-borne request that changes something must carry the session's CSRF token.
 */
final class AdminAuth {
  /**
   * The caller, or why not.
   *
   * @param session the session cookie's value when that is how the caller came, else null
   */
  record Result(Principal principal, Failure failure, String message, String session) {
    boolean ok() {
      return failure == null;
    }
  }

  private final AdminConfig config;
  private final ViewerTokens viewers; // null: no ledger to read viewers from (tests)
  private final Sessions sessions;
  private final Clock clock;

  AdminAuth(AdminConfig config, ViewerTokens viewers, Sessions sessions, Clock clock) {
    this.config = config;
    this.viewers = viewers;
    this.sessions = sessions;
    this.clock = clock;
  }

  Sessions sessions() {
    return sessions;
  }

  /** Blocking (a viewer's token is looked up in the database): call off the event loop. */
  Result check(FullHttpRequest request, SocketAddress remote) throws SQLException {
    String bearer = bearer(request);
    if (bearer != null) {
      if (isAdminBearer(config, request)) {
        return ok(Principal.ADMIN, null);
      }
      Optional<Principal> viewer = viewer(bearer);
      if (viewer.isPresent()) {
        return ok(viewer.get(), null);
      }
      return fail(Failure.UNAUTHORIZED, "Neither the admin token nor a valid viewer token");
    }
    String cookie = cookie(request);
    if (cookie != null) {
      Optional<Principal> who = session(cookie);
      if (who.isEmpty()) {
        return fail(Failure.UNAUTHORIZED, "The console session ended: sign in again");
      }
      boolean changes =
          !(HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method()));
      if (changes && !sessions.csrfMatches(cookie, request.headers().get(Sessions.CSRF_HEADER))) {
        return fail(Failure.CSRF, "A console action needs its X-CSRF-Token header");
      }
      return ok(who.get(), cookie);
    }
    if (config.token().isPresent()) {
      return fail(
          Failure.UNAUTHORIZED,
          "Admin calls need 'Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>' (or a viewer token)");
    }
    return loopback(remote)
        ? ok(Principal.ADMIN, null)
        : fail(
            Failure.FORBIDDEN,
            "Admin calls are only accepted from loopback while no admin token is set");
  }

  /** The principal a token signs in as (console sign-in), if it is one. */
  Optional<Principal> signIn(String token, SocketAddress remote) throws SQLException {
    if (token == null || token.isBlank()) {
      // No admin token set: the loopback console is the admin's, as the API is.
      return config.token().isEmpty() && loopback(remote)
          ? Optional.of(Principal.ADMIN)
          : Optional.empty();
    }
    if (config.token().isPresent() && equal(config.token().get(), token.trim())) {
      return Optional.of(Principal.ADMIN);
    }
    return viewer(token.trim());
  }

  /** A session cookie's principal while it is signed, unexpired and its viewer still valid. */
  Optional<Principal> session(String cookie) throws SQLException {
    Optional<Principal> who = sessions.read(cookie, clock.instant());
    if (who.isEmpty() || who.get().admin()) {
      return who;
    }
    var v =
        viewers == null ? Optional.<ViewerTokens.Viewer>empty() : viewers.byName(who.get().name());
    return v.isPresent() && v.get().valid() ? who : Optional.empty();
  }

  private Optional<Principal> viewer(String token) throws SQLException {
    if (viewers == null) {
      return Optional.empty();
    }
    return viewers
        .byToken(token)
        .filter(ViewerTokens.Viewer::valid)
        .map(v -> Principal.viewer(v.name(), v.team()));
  }

  static String cookie(FullHttpRequest request) {
    String header = request.headers().get(HttpHeaderNames.COOKIE);
    if (header == null) {
      return null;
    }
    for (Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
      if (c.name().equals(Sessions.COOKIE)) {
        return c.value();
      }
    }
    return null;
  }

  private static String bearer(FullHttpRequest request) {
    String header = request.headers().get(HttpHeaderNames.AUTHORIZATION, "").trim();
    // The scheme is case-insensitive (RFC 9110); the token itself is compared exactly.
    return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  /** Whether the request carries the admin token as its bearer (false when none is set). */
  static boolean isAdminBearer(AdminConfig config, FullHttpRequest request) {
    String given = bearer(request);
    return given != null && config.token().isPresent() && equal(config.token().get(), given);
  }

  /** Constant-time: a token must not leak through response timing. */
  private static boolean equal(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  static boolean loopback(SocketAddress remote) {
    return remote instanceof InetSocketAddress a
        && a.getAddress() != null
        && a.getAddress().isLoopbackAddress();
  }

  private static Result ok(Principal p, String session) {
    return new Result(p, null, null, session);
  }

  private static Result fail(Failure f, String message) {
    return new Result(null, f, message, null);
  }
}
