package dev.tollgate.websocket;

import dev.tollgate.call.Api;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code tollgate_websockets_open}, {@code tollgate_websocket_turns_total} and {@code
 * tollgate_websocket_bytes_total}, by API ({@code responses}, {@code realtime}). A turn's tokens
 * and cost are counted by the call meters every call feeds, like any other call's.
 */
final class SocketMeters implements MeterBinder {
  /** How a turn ended. */
  enum Ending {
    COMPLETED,
    REFUSED,
    CUT
  }

  static final Api[] APIS = {Api.RESPONSES, Api.REALTIME};

  private final Map<Api, AtomicInteger> open = new EnumMap<>(Api.class);
  private final Map<Api, LongAdder[]> turns = new EnumMap<>(Api.class);
  private final Map<Api, LongAdder[]> bytes = new EnumMap<>(Api.class);

  SocketMeters() {
    for (Api api : APIS) {
      open.put(api, new AtomicInteger());
      turns.put(api, adders(Ending.values().length));
      bytes.put(api, adders(2));
    }
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  void opened(Api api) {
    open.get(api).incrementAndGet();
  }

  void closed(Api api) {
    open.get(api).decrementAndGet();
  }

  void turn(Api api, Ending ending) {
    turns.get(api)[ending.ordinal()].increment();
  }

  void bytes(Api api, boolean fromClient, int n) {
    bytes.get(api)[fromClient ? 0 : 1].add(n);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Api api : APIS) {
      Gauge.builder("tollgate_websockets_open", open.get(api), AtomicInteger::get)
          .description("WebSockets open now, by API")
          .tag("api", api.label())
          .register(registry);
      for (Ending e : Ending.values()) {
        FunctionCounter.builder(
                "tollgate_websocket_turns", turns.get(api)[e.ordinal()], LongAdder::sum)
            .description(
                "Calls billed over WebSockets (turns, and Realtime transcriptions): completed,"
                    + " refused, or cut")
            .tags("api", api.label(), "ending", e.name().toLowerCase(java.util.Locale.ROOT))
            .register(registry);
      }
      String[] from = {"client", "upstream"};
      for (int i = 0; i < 2; i++) {
        FunctionCounter.builder("tollgate_websocket_bytes", bytes.get(api)[i], LongAdder::sum)
            .description("WebSocket frame payload bytes relayed, by who sent them")
            .baseUnit("bytes")
            .tags("api", api.label(), "from", from[i])
            .register(registry);
      }
    }
  }
}
