package dev.tollgate.server;

import dev.tollgate.budget.BudgetBook;
import dev.tollgate.report.ForecastRenderer;
import dev.tollgate.report.Forecasts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /admin/forecast[?team=]}: month-end spend per team and in total, and each budget's
 * spend at the end of its period, from the recent daily run-rate; the basis is in the answer.
 */
final class AdminForecast implements AdminExtras {
  static final String PATH = "/admin/forecast";

  private final Forecasts forecasts;
  private final Supplier<List<BudgetBook.Status>> budgets;
  private final Clock clock;

  AdminForecast(Forecasts forecasts, Supplier<List<BudgetBook.Status>> budgets, Clock clock) {
    this.forecasts = forecasts;
    this.budgets = budgets;
    this.clock = clock;
  }

  @Override
  public String path() {
    return PATH;
  }

  @Override
  public FullHttpResponse answer(String path, QueryStringDecoder query, ByteBufAllocator alloc)
      throws Exception {
    String team = AdminQueries.param(query, "team", null);
    List<BudgetBook.Status> scoped =
        budgets.get().stream()
            .filter(
                st ->
                    team == null
                        || (st.budget().scope().kind().equals("team")
                            && st.budget().scope().value().equals(team)))
            .toList();
    return AdminQueries.body(
        HttpResponseStatus.OK,
        HttpHeaderValues.APPLICATION_JSON,
        ForecastRenderer.json(forecasts.of(clock.instant(), team, scoped)));
  }
}
