package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ExchangeStateTest {

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource({
    "CONNECTING, SENDING, true",
    "CONNECTING, CONNECTING, true",
    "CONNECTING, RELAYING, false",
    "CONNECTING, DRAINING, false",
    "SENDING, AWAITING_HEAD, true",
    "SENDING, CONNECTING, true",
    "SENDING, RELAYING, true",
    "SENDING, DRAINING, false",
    "AWAITING_HEAD, CONNECTING, false",
    "AWAITING_HEAD, RELAYING, true",
    "AWAITING_HEAD, DRAINING, true",
    "RELAYING, AWAITING_HEAD, false",
    "RELAYING, DRAINING, true",
    "RELAYING, DONE, true",
    "DRAINING, RELAYING, false",
    "DRAINING, DONE, true"
  })
  void onlyTheMovesOfAnExchangesLifeAreAllowed(
      ExchangeState from, ExchangeState to, boolean allowed) {
    assertThat(from.canMoveTo(to)).isEqualTo(allowed);
  }

  @ParameterizedTest
  @EnumSource(ExchangeState.class)
  void nothingMovesOnceAnExchangeIsDone(ExchangeState next) {
    assertThat(ExchangeState.DONE.canMoveTo(next)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(ExchangeState.class)
  void everyLiveStateCanEnd(ExchangeState from) {
    assertThat(from.canMoveTo(ExchangeState.DONE)).isEqualTo(from != ExchangeState.DONE);
  }

  @ParameterizedTest
  @CsvSource({
    "CONNECTING, false",
    "SENDING, false",
    "AWAITING_HEAD, true",
    "RELAYING, true",
    "DRAINING, true"
  })
  void aRequestCountsAsSentOnlyOnceItLeftInFull(ExchangeState state, boolean sent) {
    assertThat(state.requestSent()).isEqualTo(sent);
  }

  @org.junit.jupiter.api.Test
  void aMoveTheStateDoesNotAllowIsRefusedLoudly() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ExchangeState.DONE.to(ExchangeState.RELAYING))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DONE")
        .hasMessageContaining("RELAYING");
    assertThat(ExchangeState.SENDING.to(ExchangeState.AWAITING_HEAD))
        .isEqualTo(ExchangeState.AWAITING_HEAD);
  }
}
