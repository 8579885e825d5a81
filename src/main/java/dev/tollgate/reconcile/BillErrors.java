package dev.tollgate.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A refusal from OpenAI's Costs and Usage APIs as one line that names the cause and the fix; the
 * provider's own message (from its error body, never the whole body) follows in brackets.
 */
final class BillErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BillErrors() {}

  static String describe(String path, int status, String body, String adminKey) {
    String said = message(body);
    String what =
        switch (status) {
          case 401 ->
              adminKey.startsWith("sk-admin-")
                  ? "OpenAI does not accept the admin key (401): it is wrong, revoked or of another"
                      + " organization; create one under Organization settings > Admin keys and"
                      + " put it in the admin key variable (OPENAI_ADMIN_KEY)"
                  : "OpenAI does not accept the key (401): the Costs and Usage APIs need an"
                      + " organization admin key (sk-admin-...), not a project or user key; create"
                      + " one under Organization settings > Admin keys";
          case 403 ->
              "the key may not read the organization's costs and usage (403): use an admin key"
                  + " (sk-admin-...) with read access to usage, not a project or user key";
          case 404 ->
              "GET "
                  + path
                  + " is not there (404): point --url / reconcile.url at OpenAI's API"
                  + " base (https://api.openai.com/v1)";
          case 429 ->
              "OpenAI rate-limited the bill's reading (429): try again in a minute (the daily"
                  + " schedule tries again at its next run)";
          default ->
              status >= 500
                  ? "OpenAI's " + path + " failed (" + status + "): try again later"
                  : "GET " + path + " answered " + status;
        };
    return said == null ? what : what + " [OpenAI: " + said + "]";
  }

  /** The error body's {@code error.message} (or its text), on one line and short; or null. */
  private static String message(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    String text;
    try {
      JsonNode tree = JSON.readTree(body);
      JsonNode m = tree.path("error").path("message");
      text =
          m.isTextual()
              ? m.asText()
              : tree.path("error").isTextual() ? tree.path("error").asText() : body;
    } catch (IOException e) {
      text = body;
    }
    text = text.replaceAll("\\s+", " ").trim();
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
