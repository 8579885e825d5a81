package dev.tollgate.proxy;

import dev.tollgate.errors.Failure;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;

/** Classifies network failures and words them for error messages. */
final class Causes {
  private Causes() {}

  /** A connect (or TLS handshake) that timed out is a 504; any other connect failure a 502. */
  static Failure connectFailure(Throwable t) {
    return t instanceof ConnectTimeoutException || t instanceof SslHandshakeTimeoutException
        ? Failure.UPSTREAM_CONNECT_TIMEOUT
        : Failure.UPSTREAM_CONNECT;
  }

  static String connectMessage(Failure failure, Throwable t) {
    return (failure == Failure.UPSTREAM_CONNECT_TIMEOUT
            ? "Timed out connecting to the upstream: "
            : "Could not connect to the upstream: ")
        + describe(t);
  }

  static String describe(Throwable t) {
    if (t == null) {
      return "connection closed";
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
