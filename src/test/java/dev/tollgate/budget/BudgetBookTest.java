package dev.tollgate.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.attribution.Attribution;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetBookTest {
  static final Instant NOW = Instant.parse("2026-12-16T15:30:00Z"); // a Wednesday
  static final long DOLLAR = 1_000_000_000_000L;

  static Attribution who(String team, Map<String, String> tags) {
    return new Attribution(team, "ranking", "ana", "ci-bot", tags, false);
  }

  static Budget budget(String scope, long limit, boolean hard) {
    return new Budget(
        "b-" + scope,
        Scope.parse(scope),
        limit,
        Period.calendar("month", ZoneOffset.UTC),
        hard,
        List.of(50),
        true);
  }

  @ParameterizedTest
  @CsvSource({
    "day,   UTC,              2026-12-16T00:00:00Z, 2026-12-17T00:00:00Z",
    "week,  UTC,              2026-12-14T00:00:00Z, 2026-12-21T00:00:00Z",
    "month, UTC,              2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
    "day,   America/New_York, 2026-12-16T05:00:00Z, 2026-12-17T05:00:00Z",
    "month, Asia/Tokyo,       2026-11-30T15:00:00Z, 2026-12-31T15:00:00Z",
  })
  void calendarPeriodsFollowTheirZone(String kind, String zone, String start, String end) {
    Period.Window w = Period.calendar(kind, ZoneId.of(zone)).window(NOW);
    assertThat(w.start()).isEqualTo(start);
    assertThat(w.end()).isEqualTo(end);
  }

  @Test
  void aRangeIsItselfAndBadPeriodsAreNamed() {
    Period.Window w =
        Period.range(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-08"), ZoneOffset.UTC)
            .window(NOW);
    assertThat(w.end()).isEqualTo("2026-12-08T00:00:00Z");
    assertThat(w.contains(NOW)).isFalse();
    assertThatThrownBy(() -> Period.calendar("year", ZoneOffset.UTC))
        .hasMessageContaining("day, week or month");
  }

  @ParameterizedTest
  @CsvSource({
    "team:search, true",
    "team:ads, false",
    "project:ranking, true",
    "user:ana, true",
    "key:ci-bot, true",
    "tag:feature=search, true",
    "tag:feature=ads, false",
  })
  void scopesMatchTheirDimension(String scope, boolean matches) {
    assertThat(Scope.parse(scope).matches(who("search", Map.of("feature", "search"))))
        .isEqualTo(matches);
  }

  @Test
  void aHardBudgetAdmitsExactlyUpToItsLimitAndSettlesToTheRealCost() {
    BudgetBook book = new BudgetBook();
    book.define(List.of(budget("team:search", DOLLAR, true)), NOW);
    Attribution search = who("search", Map.of());
    BudgetBook.Hold a = book.admit(search, DOLLAR * 6 / 10, NOW).hold();
    assertThat(a).isNotNull();
    BudgetBook.Decision b = book.admit(search, DOLLAR * 4 / 10 + 1, NOW);
    assertThat(b.refusal()).isNotNull(); // 0.6 held + 0.4000…01 > 1
    assertThat(b.refusal().byShare()).isFalse();
    assertThat(book.admit(search, DOLLAR * 4 / 10, NOW).refusal()).isNull(); // exactly 1
    book.settle(a, DOLLAR / 10, 1, NOW); // the first call cost 0.1, not 0.6
    BudgetBook.Status st = book.status(NOW).get(0);
    assertThat(st.spentPico()).isEqualTo(DOLLAR / 10);
    assertThat(st.reservedPico()).isEqualTo(DOLLAR * 4 / 10);
    assertThat(book.admit(search, DOLLAR / 2, NOW).refusal()).isNull(); // 0.1 + 0.4 + 0.5
    book.settle(a, DOLLAR, 1, NOW); // a second settlement of the same hold changes nothing
    assertThat(book.status(NOW).get(0).spentPico()).isEqualTo(DOLLAR / 10);
    // Once the ledger has the settled cost, it is counted once.
    book.synced(book.snapshot("b-team:search", NOW), DOLLAR / 10, 1, 0, 0, 1, 0);
    assertThat(book.status(NOW).get(0).spentPico()).isEqualTo(DOLLAR / 10);
  }

  @Test
  void softBudgetsNeverRefuseAndOtherTeamsAreNotCounted() {
    BudgetBook book = new BudgetBook();
    book.define(List.of(budget("team:search", 0, false)), NOW);
    assertThat(book.admit(who("search", Map.of()), DOLLAR, NOW).refusal()).isNull();
    assertThat(book.admit(who("ads", Map.of()), DOLLAR, NOW).hold().empty()).isTrue();
  }

  @Test
  void withOtherReplicasACallMustFitThisReplicasShareAndTheMessageSaysSo() {
    BudgetBook book = new BudgetBook();
    book.define(List.of(budget("team:search", DOLLAR, true)), NOW);
    // Others hold 0.1 and have 0.2 as their shares; this replica's share of the rest is 0.2.
    book.synced(
        book.snapshot("b-team:search", NOW),
        0,
        0,
        DOLLAR / 10,
        DOLLAR * 2 / 10,
        3,
        DOLLAR * 2 / 10);
    Attribution search = who("search", Map.of());
    assertThat(book.admit(search, DOLLAR / 10, NOW).refusal()).isNull();
    BudgetBook.Decision d = book.admit(search, DOLLAR * 15 / 100, NOW);
    assertThat(d.refusal().byShare()).isTrue();
    assertThat(d.refusal().message())
        .contains("more than this replica's share of what remains, $0.1 (3 replicas share it")
        .contains("$0.2 of it is the other replicas' shares");
    BudgetBook.Status st = book.status(NOW).get(0);
    assertThat(st.reservedPico()).isEqualTo(DOLLAR * 2 / 10); // 0.1 here in flight, 0.1 theirs
    assertThat(st.sharesPico()).isEqualTo(DOLLAR * 3 / 10); // theirs 0.2, this one's 0.1 left
    // Only as far as the money goes: a share top-up would not help a call past the limit.
    assertThat(book.shortfalls(search, DOLLAR * 15 / 100, NOW))
        .containsExactly(Map.entry("b-team:search", DOLLAR * 15 / 100));
    assertThat(book.shortfalls(search, DOLLAR * 81 / 100, NOW)).isEmpty();
  }

  @Test
  void aNewPeriodStartsFromZero() {
    BudgetBook book = new BudgetBook();
    Budget day =
        new Budget(
            "d",
            Scope.parse("team:search"),
            DOLLAR,
            Period.calendar("day", ZoneOffset.UTC),
            true,
            List.of(),
            true);
    book.define(List.of(day), NOW);
    BudgetBook.Hold h = book.admit(who("search", Map.of()), DOLLAR, NOW).hold();
    book.settle(h, DOLLAR, 1, NOW);
    assertThat(book.admit(who("search", Map.of()), 1, NOW).refusal()).isNotNull();
    Instant tomorrow = NOW.plusSeconds(24 * 3600);
    assertThat(book.admit(who("search", Map.of()), DOLLAR, tomorrow).refusal()).isNull();
  }
}
