package dev.tollgate.reconcile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads OpenAI's organization Costs and Usage APIs (an admin key), daily buckets, following every
 * page: {@code GET /organization/costs?group_by=line_item&group_by=project_id} and {@code GET
 * /organization/usage/completions?group_by=model&group_by=batch&...}.
 */
public final class OpenAiBill {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Pages followed at most per query: a month of daily buckets fits in far fewer. */
  private static final int MAX_PAGES = 1000;

  private final URI base;
  private final String adminKey;
  private final HttpClient http;

  /**
   * @param base the API's base URL, e.g. {@code https://api.openai.com/v1}
   */
  public OpenAiBill(URI base, String adminKey, Duration timeout) {
    this.base = base;
    this.adminKey = adminKey;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The bill for the days {@code [from, to)}. */
  public ProviderBill read(LocalDate from, LocalDate to) throws IOException, InterruptedException {
    String range =
        "start_time="
            + from.atStartOfDay(ZoneOffset.UTC).toEpochSecond()
            + "&end_time="
            + to.atStartOfDay(ZoneOffset.UTC).toEpochSecond()
            + "&bucket_width=1d&limit=31";
    List<ProviderBill.Usage> usage =
        all(
            "/organization/usage/completions?"
                + range
                + "&group_by=model&group_by=project_id&group_by=api_key_id"
                + "&group_by=service_tier&group_by=batch",
            ProviderBill::usagePage);
    List<ProviderBill.Cost> costs =
        all(
            "/organization/costs?" + range + "&group_by=line_item&group_by=project_id",
            ProviderBill::costsPage);
    return new ProviderBill(usage, costs);
  }

  private <T> List<T> all(String pathAndQuery, Function<JsonNode, List<T>> rows)
      throws IOException, InterruptedException {
    List<T> out = new ArrayList<>();
    String page = null;
    for (int n = 0; n < MAX_PAGES; n++) {
      String url =
          base
              + pathAndQuery
              + (page == null ? "" : "&page=" + URLEncoder.encode(page, StandardCharsets.UTF_8));
      String path = pathAndQuery.substring(0, pathAndQuery.indexOf('?'));
      java.net.http.HttpResponse<String> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + adminKey)
                    .GET()
                    .build(),
                BodyHandlers.ofString());
      } catch (IOException e) {
        throw new IOException(
            "cannot reach "
                + base
                + path
                + " ("
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + "): check the network, or --url / reconcile.url",
            e);
      }
      if (response.statusCode() != 200) {
        throw new IOException(
            BillErrors.describe(path, response.statusCode(), response.body(), adminKey));
      }
      JsonNode body = JSON.readTree(response.body());
      out.addAll(rows.apply(body));
      if (!body.path("has_more").asBoolean(false) || body.path("next_page").isNull()) {
        return out;
      }
      page = body.path("next_page").asText();
    }
    throw new IOException("more than " + MAX_PAGES + " pages for " + pathAndQuery);
  }
}
