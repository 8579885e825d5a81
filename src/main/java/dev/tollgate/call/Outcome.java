package dev.tollgate.call;

import java.util.Objects;

/**
 * How the relay of a call ended: {@link #OK}, {@link #CLIENT_CLOSED}, or a failure named by its
 * error code ({@code upstream_timeout}, ...; see {@code errors.Failure#outcome()}).
 */
public record Outcome(String code) {
  public static final Outcome OK = new Outcome("ok");
  public static final Outcome CLIENT_CLOSED = new Outcome("client_closed");

  /** A call read back from the ledger, which does not keep how its relay ended. */
  public static final Outcome UNRECORDED = new Outcome("unrecorded");

  public Outcome {
    Objects.requireNonNull(code, "code");
  }

  public boolean ok() {
    return equals(OK);
  }

  @Override
  public String toString() {
    return code;
  }
}
