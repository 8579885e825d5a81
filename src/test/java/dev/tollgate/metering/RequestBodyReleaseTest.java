package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.call.Call;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.openai.ResponseFacts;
import dev.tollgate.pricing.ToolQuota;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A request body is held past the hand-over only for the call whose tokens will be estimated from
 * it; every other is released on the thread that hands the call over (the event loop that read it,
 * whose allocator then takes its memory back).
 */
class RequestBodyReleaseTest {
  private static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about toll gates on old roads.\"}]}";

  private final List<Call> recorded = new CopyOnWriteArrayList<>();
  private final Metering metering =
      new Metering(
          new CatalogHolder(Optional.empty(), "api.openai.com", Duration.ofHours(1), () -> null),
          List.of(recorded::add),
          new AccessLog(false),
          "api.openai.com",
          10_000_000,
          new ToolQuota());

  /** Where and how often the body was released, and how often it was read again. */
  private final AtomicReference<Thread> releasedOn = new AtomicReference<>();

  private final AtomicInteger releases = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();

  @AfterEach
  void close() {
    metering.close();
  }

  @Test
  void aCallWithUsageToBelieveReleasesItsBodyAtTheHandOver() {
    hand(200, facts(new Usage(9, 0, 0, 2, 0, 0, 0), null));

    assertThat(releasedOn.get()).isSameAs(Thread.currentThread()); // before complete() returned
    assertThat(releases.get()).isEqualTo(1);
    await().until(() -> recorded.size() == 1);
    assertThat(recorded.get(0).status()).isEqualTo(PricingStatus.PRICED);
    assertThat(reads.get()).isZero();
    assertThat(releases.get()).isEqualTo(1); // and never again
  }

  @Test
  void aCallThatIsNotBillableReleasesItsBodyAtTheHandOver() {
    hand(500, facts(null, null));

    assertThat(releasedOn.get()).isSameAs(Thread.currentThread());
    await().until(() -> recorded.size() == 1);
    assertThat(reads.get()).isZero();
    assertThat(releases.get()).isEqualTo(1);
  }

  @Test
  void aCallWithoutUsageKeepsItsBodyUntilItsTokensAreEstimatedFromIt() {
    hand(200, facts(null, null));

    assertThat(releasedOn.get()).isNull(); // still held when complete() returned
    await().until(() -> recorded.size() == 1);
    Call call = recorded.get(0);
    assertThat(call.status()).isEqualTo(PricingStatus.ESTIMATED);
    assertThat(call.usage().input()).isEqualTo(9); // read from the body, in o200k tokens
    assertThat(reads.get()).isEqualTo(1);
    await().until(() -> releases.get() == 1);
    assertThat(releasedOn.get()).isNotSameAs(Thread.currentThread());
  }

  @Test
  void usageThatCannotBeBelievedKeepsTheBodyForTheEstimateToo() {
    hand(200, facts(null, "prompt_tokens=\"9\""));

    assertThat(releasedOn.get()).isNull();
    await().until(() -> recorded.size() == 1);
    assertThat(recorded.get(0).status()).isEqualTo(PricingStatus.ESTIMATED);
    assertThat(reads.get()).isEqualTo(1);
    await().until(() -> releases.get() == 1);
  }

  @Test
  void aReleaseThatFailsStillMetersTheCall() {
    metering.complete(
        request(),
        relay(200),
        facts(new Usage(9, 0, 0, 2, 0, 0, 0), null),
        () -> new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)),
        () -> {
          throw new IllegalStateException("refCnt: 0");
        });

    await().until(() -> recorded.size() == 1);
    assertThat(recorded.get(0).status()).isEqualTo(PricingStatus.PRICED);
  }

  private void hand(int status, ResponseFacts facts) {
    metering.complete(
        request(),
        relay(status),
        facts,
        () -> {
          reads.incrementAndGet();
          return new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8));
        },
        () -> {
          releasedOn.set(Thread.currentThread());
          releases.incrementAndGet();
        });
  }

  /** A chat call's request (the package's sample call's: what it asked does not decide here). */
  private static Call.Request request() {
    return AccessLogTest.call().asked();
  }

  private static Call.Relay relay(int status) {
    return new Call.Relay(status, Outcome.OK, new Timings(2_000_000, 1_000_000, 500_000));
  }

  private static ResponseFacts facts(Usage usage, String usageInvalid) {
    return new ResponseFacts(
        "gpt-4o-mini",
        null,
        usage,
        usageInvalid,
        Map.of(),
        null,
        null,
        null,
        "Hello world",
        0,
        "chatcmpl-1",
        List.of("stop"));
  }
}
