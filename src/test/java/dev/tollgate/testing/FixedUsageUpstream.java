package dev.tollgate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A fake chat upstream on loopback: every call answers with the model it asked for, 1000 input and
 * 500 output tokens, so a call's cost is {@code 1000 x input + 500 x output} per 1M.
 */
public final class FixedUsageUpstream {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FixedUsageUpstream() {}

  public static RawUpstream start() throws IOException {
    return new RawUpstream(FixedUsageUpstream::answer);
  }

  private static void answer(RawUpstream.Connection c) throws Exception {
    RawUpstream.Request r;
    while ((r = c.readRequest()) != null) {
      String model = JSON.readTree(r.body()).path("model").asText();
      String body =
          "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion\",\"model\":\""
              + model
              + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
              + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500}}";
      c.writeJson("200 OK", body);
    }
  }
}
