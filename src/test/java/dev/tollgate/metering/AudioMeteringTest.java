package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

/**
 * Audio through the real server: a minute-metered transcription is priced by its seconds, a
 * token-metered one by its tokens, both read from the upload's model field; speech, which reports
 * no usage, is recorded unpriced, never $0; and a cache write made with the 12-hour retention a
 * request asked for costs the long-retention rate.
 */
class AudioMeteringTest {
  static final String BOUNDARY = "----tg-audio-boundary";

  static String upload(String model) {
    String body =
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\n"
            + "Content-Type: audio/mpeg\r\n\r\nID3fake-audio-bytes\r\n--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
            + model
            + "\r\n--"
            + BOUNDARY
            + "--\r\n";
    return "POST /v1/audio/transcriptions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-t\r\n"
        + "Content-Type: multipart/form-data; boundary="
        + BOUNDARY
        + "\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  @Test
  void transcriptionsArePricedByTheirMeterAndSpeechIsNeverZero() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    if (r.requestLine().contains("/audio/speech")) {
                      c.write(
                          "HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nContent-Length: 4\r\n\r\nID3x");
                    } else if (r.body().contains("whisper-1")) {
                      c.writeJson(
                          "200 OK",
                          "{\"text\":\"hi\",\"usage\":{\"type\":\"duration\",\"seconds\":125}}");
                    } else {
                      c.writeJson(
                          "200 OK",
                          "{\"text\":\"hi\",\"usage\":{\"type\":\"tokens\",\"input_tokens\":1000,"
                              + "\"input_token_details\":{\"text_tokens\":200,\"audio_tokens\":800},"
                              + "\"output_tokens\":300,\"total_tokens\":1300}}");
                    }
                  }
                });
        TestTollgate t = TestTollgate.start(upstream.baseUrl());
        RawClient c = new RawClient(t.port())) {
      assertThat(c.send(upload("whisper-1")).readResponse()).startsWith("HTTP/1.1 200");
      assertThat(c.send(upload("gpt-4o-transcribe")).readResponse()).startsWith("HTTP/1.1 200");
      String speech = "{\"model\":\"gpt-4o-mini-tts\",\"input\":\"hello\",\"voice\":\"alloy\"}";
      assertThat(
              c.send(
                      "POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Length: "
                          + speech.length()
                          + "\r\n\r\n"
                          + speech)
                  .readResponse())
          .startsWith("HTTP/1.1 200");

      JsonNode whisper = null;
      JsonNode tokens = null;
      JsonNode tts = null;
      for (JsonNode call : t.awaitCalls(3)) {
        switch (call.get("model").asText()) {
          case "whisper-1" -> whisper = call;
          case "gpt-4o-transcribe" -> tokens = call;
          default -> tts = call;
        }
      }
      // 125 s x $0.006 a minute; 200 x 2.5 + 800 x 6 + 300 x 10 per 1M.
      assertThat(whisper.get("cost_usd").asText()).isEqualTo("0.0125");
      assertThat(whisper.get("audio_seconds").asText()).isEqualTo("125");
      assertThat(whisper.at("/cost_components/duration").asText()).isEqualTo("0.0125");
      assertThat(tokens.get("cost_usd").asText()).isEqualTo("0.0083");
      assertThat(tts.get("status").asText()).isEqualTo("unpriced");
      assertThat(tts.get("reasons").toString()).contains("nothing_to_estimate");

      HttpClient http = HttpClient.newHttpClient();
      String csv =
          http.send(
                  HttpRequest.newBuilder(t.adminUri("/admin/spend?group_by=model&format=csv"))
                      .build(),
                  BodyHandlers.ofString())
              .body();
      assertThat(csv.lines().findFirst().orElseThrow()).contains("audio_seconds");
      assertThat(csv).containsPattern("(?m)^whisper-1,.*,125,0.0125,");
      String metrics =
          http.send(HttpRequest.newBuilder(t.adminUri("/metrics")).build(), BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .containsPattern("tollgate_audio_seconds_total\\{.*model=\"whisper-1\".*\\} 125.0");
    }
  }

  @Test
  void aTwelveHourCacheRetentionBillsItsWritesAtTheLongRate() throws Exception {
    String answer =
        "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"gpt-6.2-sol\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":2000,\"completion_tokens\":100,"
            + "\"prompt_tokens_details\":{\"cache_write_tokens\":1000}}}";
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.writeJson("200 OK", answer);
                  }
                });
        TestTollgate t = TestTollgate.start(upstream.baseUrl());
        RawClient c = new RawClient(t.port())) {
      for (String retention : new String[] {"in_memory", "12h"}) {
        String body =
            "{\"model\":\"gpt-6.2-sol\",\"prompt_cache_retention\":\""
                + retention
                + "\",\"messages\":[]}";
        assertThat(
                c.send(
                        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                            + body.length()
                            + "\r\n\r\n"
                            + body)
                    .readResponse())
            .startsWith("HTTP/1.1 200");
      }
      // 1,000 x 2 + 1,000 written x 2.5 (30-minute) or x 5 (12-hour) + 100 x 10, per 1M.
      assertThat(t.awaitCalls(2))
          .extracting(call -> call.get("cost_usd").asText())
          .containsExactlyInAnyOrder("0.0055", "0.008");
    }
  }
}
