package dev.tollgate.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Real-shaped bodies for the fake upstream. Usage is derived from the request so that different
 * calls cost different amounts: prompt tokens from the request size, half of a long prompt served
 * from cache, reasoning tokens for o-series and gpt-5 models.
 */
final class MockPayloads {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.concurrent.atomic.AtomicLong IDS =
      new java.util.concurrent.atomic.AtomicLong();
  private static final String[] WORDS = {
    "Toll", " gates", " count", " every", " token", " that", " passes", "."
  };

  /** What the fake answers to, read from the request body; {@code id} is unique per answer. */
  record Ask(
      String model, boolean stream, boolean includeUsage, String tier, int promptTokens, long id) {
    static Ask of(byte[] body) {
      JsonNode n;
      try {
        n = JSON.readTree(body);
      } catch (Exception e) {
        n = JSON.createObjectNode();
      }
      return new Ask(
          n.path("model").asText("gpt-4o-mini"),
          n.path("stream").asBoolean(false),
          n.at("/stream_options/include_usage").asBoolean(false),
          n.path("service_tier").asText("default"),
          Math.max(8, body.length / 4),
          IDS.incrementAndGet());
    }

    boolean reasons() {
      return model.startsWith("o") || model.startsWith("gpt-5");
    }

    String servedTier() {
      return tier.equals("auto") ? "default" : tier;
    }
  }

  static ObjectNode chatUsage(Ask ask, int frames) {
    int completion = Math.max(1, frames * 2) + (ask.reasons() ? 64 : 0);
    ObjectNode u = JSON.createObjectNode();
    u.put("prompt_tokens", ask.promptTokens());
    u.put("completion_tokens", completion);
    u.put("total_tokens", ask.promptTokens() + completion);
    u.putObject("prompt_tokens_details").put("cached_tokens", cached(ask)).put("audio_tokens", 0);
    u.putObject("completion_tokens_details")
        .put("reasoning_tokens", ask.reasons() ? 64 : 0)
        .put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0)
        .put("rejected_prediction_tokens", 0);
    return u;
  }

  static ObjectNode responsesUsage(Ask ask, int frames) {
    ObjectNode chat = chatUsage(ask, frames);
    ObjectNode u = JSON.createObjectNode();
    u.put("input_tokens", chat.get("prompt_tokens").asInt());
    u.putObject("input_tokens_details").put("cached_tokens", cached(ask));
    u.put("output_tokens", chat.get("completion_tokens").asInt());
    u.putObject("output_tokens_details").put("reasoning_tokens", ask.reasons() ? 64 : 0);
    u.put("total_tokens", chat.get("total_tokens").asInt());
    return u;
  }

  /**
   * Prompts of 1,024 tokens or more are half cached, in 128-token steps, as OpenAI's caching works.
   */
  private static int cached(Ask ask) {
    return ask.promptTokens() >= 1024 ? (ask.promptTokens() / 2) / 128 * 128 : 0;
  }

  static String text(int frames) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < frames; i++) {
      s.append(WORDS[i % WORDS.length]);
    }
    return s.toString();
  }

  static byte[] chat(Ask ask, int frames) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", "chatcmpl-mock" + ask.id())
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", ask.model())
        .put("service_tier", ask.servedTier());
    ObjectNode choice = r.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop");
    choice.putObject("message").put("role", "assistant").put("content", text(frames));
    r.set("usage", chatUsage(ask, frames));
    return bytes(r);
  }

  /**
   * Every SSE event of a streamed chat completion, [DONE] included. Built one at a time as they are
   * sent: thousands of long streams held open must not hold every frame in memory.
   */
  static List<byte[]> chatStream(Ask ask, int frames) {
    int count = frames + 1 + (ask.includeUsage() ? 1 : 0) + 1;
    return lazy(
        count,
        i -> {
          if (i == count - 1) {
            return "data: [DONE]\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          }
          if (i == frames + 1) { // the usage-only chunk that include_usage asks for
            ObjectNode last = chunkBase(ask);
            last.putArray("choices");
            last.set("usage", chatUsage(ask, frames));
            return data(last);
          }
          ObjectNode c = chunkBase(ask);
          ObjectNode choice = c.putArray("choices").addObject();
          choice.put("index", 0);
          ObjectNode delta = choice.putObject("delta");
          if (i == 0) {
            delta.put("role", "assistant").put("content", "");
          } else {
            delta.put("content", WORDS[(i - 1) % WORDS.length]);
          }
          if (i == frames) {
            choice.put("finish_reason", "stop");
          } else {
            choice.putNull("finish_reason");
          }
          if (ask.includeUsage()) {
            c.putNull("usage");
          }
          return data(c);
        });
  }

  private static List<byte[]> lazy(int size, java.util.function.IntFunction<byte[]> event) {
    return new java.util.AbstractList<>() {
      @Override
      public byte[] get(int i) {
        java.util.Objects.checkIndex(i, size);
        return event.apply(i);
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  static byte[] responses(Ask ask, int frames) {
    return bytes(response(ask, frames, "completed", true));
  }

  /**
   * Every SSE event of a streamed Responses call, ending with response.completed (no [DONE]); built
   * lazily.
   */
  static List<byte[]> responsesStream(Ask ask, int frames) {
    return lazy(
        frames + 2,
        i -> {
          if (i == 0) {
            return event(
                "response.created",
                JSON.createObjectNode()
                    .put("sequence_number", 0)
                    .set("response", response(ask, frames, "in_progress", false)));
          }
          if (i == frames + 1) {
            return event(
                "response.completed",
                JSON.createObjectNode()
                    .put("sequence_number", i)
                    .set("response", response(ask, frames, "completed", true)));
          }
          return event(
              "response.output_text.delta",
              JSON.createObjectNode()
                  .put("sequence_number", i)
                  .put("item_id", "msg_mock")
                  .put("output_index", 0)
                  .put("content_index", 0)
                  .put("delta", WORDS[(i - 1) % WORDS.length]));
        });
  }

  static byte[] embeddings(Ask ask) {
    ObjectNode r = JSON.createObjectNode();
    r.put("object", "list").put("model", ask.model());
    ArrayNode vector =
        r.putArray("data")
            .addObject()
            .put("object", "embedding")
            .put("index", 0)
            .putArray("embedding");
    for (int i = 0; i < 8; i++) {
      vector.add(0.125 * i);
    }
    r.putObject("usage")
        .put("prompt_tokens", ask.promptTokens())
        .put("total_tokens", ask.promptTokens());
    return bytes(r);
  }

  private static ObjectNode response(Ask ask, int frames, String status, boolean done) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", "resp_mock" + ask.id())
        .put("object", "response")
        .put("created_at", System.currentTimeMillis() / 1000)
        .put("status", status)
        .put("model", ask.model())
        .put("service_tier", ask.servedTier());
    ArrayNode output = r.putArray("output");
    if (done) {
      ObjectNode msg =
          output
              .addObject()
              .put("id", "msg_mock")
              .put("type", "message")
              .put("status", "completed")
              .put("role", "assistant");
      msg.putArray("content")
          .addObject()
          .put("type", "output_text")
          .put("text", text(frames))
          .putArray("annotations");
      r.set("usage", responsesUsage(ask, frames));
    } else {
      r.putNull("usage");
    }
    return r;
  }

  private static ObjectNode chunkBase(Ask ask) {
    return JSON.createObjectNode()
        .put("id", "chatcmpl-mock" + ask.id())
        .put("object", "chat.completion.chunk")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", ask.model())
        .put("service_tier", ask.servedTier());
  }

  private static byte[] data(ObjectNode n) {
    return ("data: " + n + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] event(String type, ObjectNode n) {
    ObjectNode withType = JSON.createObjectNode().put("type", type);
    withType.setAll(n);
    return ("event: " + type + "\ndata: " + withType + "\n\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ObjectNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
