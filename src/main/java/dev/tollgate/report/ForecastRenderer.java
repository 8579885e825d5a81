package dev.tollgate.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.call.Money;

/** A forecast as JSON: the admin API's and {@code tollgate report --forecast --format json}. */
public final class ForecastRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ForecastRenderer() {}

  public static String json(Forecasts.Forecast f) {
    return render(f).toString();
  }

  private static ObjectNode render(Forecasts.Forecast f) {
    ObjectNode root = JSON.createObjectNode();
    root.put("as_of", f.asOf().toString());
    root.put("month", f.month().toString().substring(0, 7));
    ObjectNode basis = root.putObject("basis");
    basis.put("from", f.basisFrom().toString());
    basis.put("to", f.basisTo().toString());
    basis.put("days", Forecasts.BASIS_DAYS);
    basis.put(
        "method",
        "spend of the last "
            + Forecasts.BASIS_DAYS
            + " complete UTC days / "
            + Forecasts.BASIS_DAYS
            + ", times the days left, added to what is spent");
    root.set("total", line(f.total()));
    ArrayNode teams = root.putArray("teams");
    f.teams().forEach(l -> teams.add(line(l)));
    ArrayNode budgets = root.putArray("budgets");
    f.budgets().forEach(l -> budgets.add(line(l)));
    return root;
  }

  private static ObjectNode line(Forecasts.Line l) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", l.name());
    o.put("spent_usd", Money.format(l.spent()));
    o.put("daily_rate_usd", Money.format(l.dailyRate()));
    o.put("forecast_usd", Money.format(l.forecast()));
    if (l.limit() != null) {
      o.put("limit_usd", Money.format(l.limit()));
      o.put("forecast_crosses_limit", l.crosses());
    }
    o.put("ends", l.ends().toString());
    return o;
  }
}
