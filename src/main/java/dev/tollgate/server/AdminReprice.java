package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.call.Money;
import dev.tollgate.reprice.RepriceResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** {@code POST /admin/reprice}'s answer: what a run examined and changed, money as decimals. */
final class AdminReprice {
  private static final JsonFactory JSON = new JsonFactory();

  private AdminReprice() {}

  static byte[] render(RepriceResult r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("from", r.from().toString());
      g.writeStringField("to", r.to().toString());
      if (r.model() != null) {
        g.writeStringField("model", r.model());
      }
      g.writeBooleanField("dry_run", r.dryRun());
      g.writeNumberField("examined", r.examined());
      g.writeNumberField("repriced", r.repriced());
      g.writeStringField("before_usd", Money.format(r.before()));
      g.writeStringField("after_usd", Money.format(r.after()));
      g.writeStringField("delta_usd", Money.format(r.delta()));
      g.writeObjectFieldStart("models");
      for (Map.Entry<String, RepriceResult.ByModel> m : r.byModel().entrySet()) {
        g.writeObjectFieldStart(m.getKey());
        g.writeNumberField("repriced", m.getValue().repriced());
        g.writeStringField("before_usd", Money.format(m.getValue().before()));
        g.writeStringField("after_usd", Money.format(m.getValue().after()));
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
