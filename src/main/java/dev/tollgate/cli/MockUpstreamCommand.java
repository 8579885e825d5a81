package dev.tollgate.cli;

import dev.tollgate.mock.MockUpstream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate mock-upstream}: a fast OpenAI-shaped fake upstream, for demos and benchmarks. */
@Command(
    name = "mock-upstream",
    mixinStandardHelpOptions = true,
    description =
        "Run a fake OpenAI-compatible upstream (chat, responses, embeddings; JSON and SSE).")
final class MockUpstreamCommand implements Callable<Integer> {
  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description = "Address (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--port",
      defaultValue = "9099",
      description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--delay-ms",
      defaultValue = "0",
      description = "Delay before answering (default: ${DEFAULT-VALUE}).")
  long delayMs;

  @Option(
      names = "--frame-interval-ms",
      defaultValue = "20",
      description = "Gap between stream frames (default: ${DEFAULT-VALUE}).")
  long frameIntervalMs;

  @Option(
      names = "--frames",
      defaultValue = "16",
      description = "Content frames per streamed answer (default: ${DEFAULT-VALUE}).")
  int frames;

  @Override
  public Integer call() throws InterruptedException {
    try (MockUpstream mock =
        new MockUpstream(new MockUpstream.Settings(bind, port, delayMs, frameIntervalMs, frames))
            .start()) {
      System.out.println(
          "Mock upstream on "
              + mock.baseUrl().replace("127.0.0.1", bind)
              + " (delay "
              + delayMs
              + " ms, "
              + frames
              + " frames "
              + frameIntervalMs
              + " ms apart). Ctrl-C to stop.");
      CountDownLatch stop = Signals.termination();
      stop.await();
    }
    return 0;
  }
}
