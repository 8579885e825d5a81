package dev.tollgate.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** A realistic mix of calls from a few teams, for {@code tollgate demo}. */
final class DemoTraffic {
  /** One kind of call: who makes it (team and project) and what it asks. */
  private record Call(String team, String project, String path, String body) {}

  /** End users, so a report grouped by user has rows too. */
  private static final List<String> USERS = List.of("ana", "ben", "chen", "dara", "eli", "fay");

  private static final String LONG_CONTEXT =
      "Background: " + "Tollgate meters every call to a model. ".repeat(140);
  private static final List<Call> MIX =
      List.of(
          new Call(
              "search",
              "ranking",
              "/v1/chat/completions",
              chat("gpt-4o-mini", false, "Rank these results.", null)),
          new Call(
              "search",
              "autocomplete",
              "/v1/chat/completions",
              chat("gpt-4o-mini", true, "Autocomplete: tollg", null)),
          new Call(
              "search",
              "indexing",
              "/v1/embeddings",
              "{\"model\":\"text-embedding-3-small\",\"input\":\"toll gate history\"}"),
          new Call(
              "ads",
              "bidding",
              "/v1/chat/completions",
              chat("o3", false, LONG_CONTEXT + "Pick the best bid.", "flex")),
          new Call(
              "ads",
              "bidding",
              "/v1/responses",
              "{\"model\":\"o4-mini\",\"input\":\""
                  + LONG_CONTEXT
                  + "Summarise.\",\"service_tier\":\"flex\"}"),
          new Call(
              "support",
              "helpdesk",
              "/v1/chat/completions",
              chat("gpt-4.1", true, LONG_CONTEXT + "Answer the ticket.", null)),
          new Call(
              "support",
              "triage",
              "/v1/responses",
              "{\"model\":\"gpt-5-mini\",\"input\":\"Classify this ticket.\",\"stream\":true}"),
          new Call(
              "research", "proofs", "/v1/chat/completions", chat("o3", false, "Prove it.", null)),
          new Call(
              "research",
              "memos",
              "/anthropic/v1/messages",
              "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":1024,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Draft a memo.\"}]}"),
          new Call(
              "support",
              "helpdesk",
              "/v1/chat/completions",
              chat("deepseek-chat", false, LONG_CONTEXT + "Suggest a reply.", null)),
          new Call(
              "research",
              "in-house",
              "/v1/chat/completions",
              chat("acme-llm-7b", false, "An in-house model nobody priced.", null)));

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final AtomicLong sent = new AtomicLong();

  DemoTraffic(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  long sent() {
    return sent.get();
  }

  /** Sends one call from the mix, asynchronously. */
  void sendOne() {
    Call c = MIX.get(ThreadLocalRandom.current().nextInt(MIX.size()));
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(base + c.path()))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer sk-demo-" + c.team())
            .header("X-Tollgate-Team", c.team())
            .header("X-Tollgate-Project", c.project())
            .header("X-Tollgate-User", USERS.get(ThreadLocalRandom.current().nextInt(USERS.size())))
            .header("X-Tollgate-Tags", "feature=demo,env=dev")
            .POST(HttpRequest.BodyPublishers.ofString(c.body()))
            .build();
    http.sendAsync(r, BodyHandlers.discarding())
        .whenComplete((resp, err) -> sent.incrementAndGet());
  }

  private static String chat(String model, boolean stream, String text, String tier) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + (tier == null ? "" : ",\"service_tier\":\"" + tier + "\"")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + text
        + "\"}]}";
  }
}
