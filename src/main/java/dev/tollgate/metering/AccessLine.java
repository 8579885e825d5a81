package dev.tollgate.metering;

import dev.tollgate.call.Call;
import dev.tollgate.call.Money;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.Timings;
import dev.tollgate.call.TokenKind;
import java.io.IOException;
import java.util.Arrays;

/**
 * What one access line says, written field by field to whichever form the log has (see {@link
 * AccessFields}): the same fields in the same order in text and in JSON. Keys never appear.
 */
sealed interface AccessLine {
  void writeTo(AccessFields out) throws IOException;

  /** A call that reached the relay, with its tokens and cost. */
  record Relayed(Call call) implements AccessLine {
    /** The token fields: one per kind, named as the report's CSV columns are. */
    private static final String[] TOKEN_FIELDS =
        Arrays.stream(TokenKind.values()).map(k -> k.label() + "_tokens").toArray(String[]::new);

    @Override
    public void writeTo(AccessFields out) throws IOException {
      Call c = call;
      Timings t = c.relay().timings();
      out.text("id", c.id());
      out.text("method", c.asked().method());
      out.text("path", c.asked().path());
      out.number("status", c.relay().status());
      out.text("model", c.model() == null ? "-" : c.model());
      out.text("team", c.attribution().team());
      out.millis("upstream_ms", t.upstreamNanos());
      out.millis("total_ms", t.totalNanos());
      // Disjoint kinds, as in reports and metrics: input excludes cached input and cache writes,
      // output excludes reasoning; the kinds add up to the call's tokens.
      for (TokenKind k : TokenKind.values()) {
        out.number(TOKEN_FIELDS[k.ordinal()], k.of(c.usage()));
      }
      out.decimal("cost_usd", c.cost().total() == null ? null : Money.format(c.cost().total()));
      out.text("pricing", c.status().label());
      out.text("outcome", c.relay().outcome().code());
    }
  }

  /** A request Tollgate answered itself without calling the upstream (404, 413, a socket's end). */
  record Refused(
      String id, String method, String path, int status, long totalNanos, Outcome outcome)
      implements AccessLine {
    @Override
    public void writeTo(AccessFields out) throws IOException {
      out.text("id", id);
      out.text("method", method);
      out.text("path", path);
      out.number("status", status);
      out.millis("total_ms", totalNanos);
      out.text("outcome", outcome.code());
    }
  }
}
