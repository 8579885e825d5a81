package dev.tollgate.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic Messages answers for the mock upstream: usage in Anthropic's shape, with a prompt-cache
 * read on every other call and a one-hour cache write now and then, so the demo shows Claude's
 * cache pricing.
 */
final class AnthropicPayloads {
  private AnthropicPayloads() {}

  static byte[] message(MockPayloads.Ask ask, int frames) {
    ObjectNode m = MockPayloads.JSON.createObjectNode();
    m.put("id", "msg_mock" + ask.id());
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", ask.model());
    ObjectNode text = m.putArray("content").addObject();
    text.put("type", "text");
    text.put("text", MockPayloads.text(frames));
    m.put("stop_reason", "end_turn");
    m.putNull("stop_sequence");
    boolean cached = ask.id() % 2 == 0;
    long written = ask.id() % 5 == 0 ? ask.promptTokens() / 2 : 0;
    long read = cached ? ask.promptTokens() / 2 : 0;
    ObjectNode usage = m.putObject("usage");
    usage.put("input_tokens", Math.max(1, ask.promptTokens() - read - written));
    usage.put("cache_creation_input_tokens", written);
    usage.put("cache_read_input_tokens", read);
    ObjectNode creation = usage.putObject("cache_creation");
    creation.put("ephemeral_5m_input_tokens", 0);
    creation.put("ephemeral_1h_input_tokens", written);
    usage.put("output_tokens", 8L * frames);
    return m.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
