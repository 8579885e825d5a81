package dev.tollgate.server;

import dev.tollgate.report.FocusExport;
import dev.tollgate.report.SpendQuery;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.LocalDate;

/**
 * {@code GET /admin/export/focus?from=&to=&focus_version=&format=&team=}: the FOCUS file, streamed
 * a day at a time as it is read from the ledger (never built in memory). The options are checked
 * before the head is sent, so a bad one is an ordinary 400; a failure mid-file cuts the connection,
 * so a truncated file never looks whole.
 */
final class AdminExport {
  static final String PATH = "/admin/export/focus";

  private final FocusExport export;

  AdminExport(FocusExport export) {
    this.export = export;
  }

  AdminAnswer answer(QueryStringDecoder query) {
    String version = AdminQueries.param(query, "focus_version", "1.2");
    String format = AdminQueries.param(query, "format", "csv");
    try {
      FocusExport.check(version, format);
    } catch (FocusExport.Invalid e) {
      throw new SpendQuery.Invalid(
          e.getMessage().startsWith("format") ? "format" : "focus_version", e.getMessage());
    }
    LocalDate month = SpendQuery.thisMonth();
    SpendQuery range =
        SpendQuery.parse(
            AdminQueries.param(query, "from", month.toString()),
            AdminQueries.param(query, "to", month.plusMonths(1).toString()),
            null,
            null);
    String team = AdminQueries.param(query, "team", null);
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    String name = "focus-" + version + "_" + range.from() + "_" + range.to() + "." + format;
    head.headers()
        .set(
            HttpHeaderNames.CONTENT_TYPE,
            format.equals("csv") ? "text/csv; charset=utf-8" : "application/gzip")
        .set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
    return new AdminAnswer.Streamed(
        head, out -> export.write(range.from(), range.to(), team, format, out));
  }
}
