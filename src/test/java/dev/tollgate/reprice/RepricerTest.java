package dev.tollgate.reprice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Cost;
import dev.tollgate.call.CostComponent;
import dev.tollgate.call.Outcome;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Timings;
import dev.tollgate.call.Usage;
import dev.tollgate.config.LedgerConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.ledger.Repricings;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.report.SpendQuery;
import dev.tollgate.report.SpendReport;
import dev.tollgate.report.SpendReports;
import dev.tollgate.testing.TestLedgers;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Repricing on the real ledger, SQLite and PostgreSQL: exact, idempotent, safe to interrupt. */
public class RepricerTest {
  private static final Instant YESTERDAY = Instant.parse("2026-11-30T10:00:00Z");
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-12-01T09:00:00Z"), ZoneOffset.UTC);
  private static final LocalDate FROM = LocalDate.parse("2026-11-30");
  private static final LocalDate TO = LocalDate.parse("2026-12-02");

  /** The price that arrives late: 1 and 2 per 1M, so each late call costs exactly $0.002. */
  private static final PriceCatalog WITH_LATE_PRICE =
      CatalogLoader.bundled()
          .overlay(
              CatalogLoader.parse(
                  "models: {gpt-late: {versions: [{from: 2026-11-01, input: 1, output: 2}]}}"));

  @TempDir Path dir;
  private final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void dropSchema() throws SQLException {
    ledgers.close();
  }

  public static Call call(
      int i, String model, PricingStatus status, BigDecimal cost, Reason... reasons) {
    return call("c" + i, YESTERDAY.plusSeconds(i), model, status, cost, reasons);
  }

  /** A call of 1,000 input and 500 output tokens to the model, recorded as {@code status} says. */
  public static Call call(
      String id,
      Instant at,
      String model,
      PricingStatus status,
      BigDecimal cost,
      Reason... reasons) {
    return new Call(
        new Call.Request(
            id,
            at,
            Api.CHAT,
            "POST",
            "/v1/chat/completions",
            model,
            null,
            false,
            new Attribution(
                id.charAt(id.length() - 1) % 2 == 0 ? "search" : "ads", // c0 search, c1 ads, ...
                null,
                null,
                null,
                Map.of(),
                false)),
        new Call.Relay(200, Outcome.OK, new Timings(30_000_000, 29_000_000, 5_000_000)),
        new Call.Served("api.openai.com", model, null, Usage.of(1000, 500), Map.of(), null, null),
        new Call.Charge(
            status,
            status == PricingStatus.UNPRICED ? null : model + "@x",
            Cost.of(Map.of(CostComponent.INPUT, cost)),
            List.of(reasons),
            Map.of()));
  }

  /** Seven calls: three priced, three unpriced of a model priced later, one never priced. */
  private static List<Call> yesterday() {
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(call(i, "gpt-4o-mini", PricingStatus.PRICED, new BigDecimal("0.00045")));
    }
    for (int i = 3; i < 6; i++) {
      calls.add(
          call(
              i,
              "gpt-late",
              PricingStatus.UNPRICED,
              BigDecimal.ZERO,
              Reason.of(Reason.Kind.NO_PRICE, "gpt-late")));
    }
    calls.add(
        call(
            6,
            "gpt-mystery",
            PricingStatus.UNPRICED,
            BigDecimal.ZERO,
            Reason.of(Reason.Kind.NO_PRICE, "gpt-mystery")));
    return calls;
  }

  private void write(Database db, LedgerConfig config, List<Call> calls) {
    try (LedgerWriter writer = new LedgerWriter(db, config)) {
      calls.forEach(writer::offer);
      Awaitility.await().until(() -> writer.written() == calls.size());
    }
  }

  private static SpendReport report(LedgerReader reader, String groupBy) throws SQLException {
    return new SpendReports(reader, () -> WITH_LATE_PRICE)
        .run(SpendQuery.parse("2026-11-01", "2026-12-02", groupBy, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void yesterdaysUnpricedCallsChangeTheTotalByExactlyTheirNewCostAndASecondRunChangesNothing(
      String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      write(db, config, yesterday());
      LedgerReader reader = new LedgerReader(db.dataSource());
      BigDecimal before = report(reader, "team").total();
      assertThat(before).isEqualByComparingTo("0.00135");
      Repricer repricer = new Repricer(reader, new Repricings(db.dataSource()), NOW);

      List<Repricings.Change> told = new ArrayList<>();
      RepriceResult first = repricer.run(WITH_LATE_PRICE, FROM, TO, null, false, told::add);
      assertThat(first.repriced()).isEqualTo(3);
      assertThat(first.after()).isEqualByComparingTo("0.006"); // 3 x (1000 x 1 + 500 x 2) per 1M
      assertThat(told).hasSize(3);
      SpendReport byTeam = report(reader, "team");
      assertThat(byTeam.total()).isEqualByComparingTo(before.add(first.after()));
      // Raw rows (a tag grouping reads them) say the same as the daily totals.
      assertThat(report(reader, "tag:env").total()).isEqualByComparingTo(byTeam.total());
      long repriced = byTeam.rows().stream().mapToLong(r -> r.tally().repricedRequests()).sum();
      long unpriced = byTeam.rows().stream().mapToLong(r -> r.tally().unpricedRequests()).sum();
      assertThat(repriced).isEqualTo(3);
      assertThat(unpriced).isEqualTo(1); // gpt-mystery still has no price

      Call late =
          reader.recent(10).stream().filter(c -> c.id().equals("c4")).findFirst().orElseThrow();
      assertThat(late.status()).isEqualTo(PricingStatus.PRICED);
      assertThat(late.charge().priceVersion()).isEqualTo("gpt-late@2026-11-01");
      assertThat(late.charge().before())
          .isEqualTo(
              new Call.Before(
                  PricingStatus.UNPRICED, null, new BigDecimal("0E-12"), NOW.instant()));

      RepriceResult second = repricer.run(WITH_LATE_PRICE, FROM, TO, null, false, told::add);
      assertThat(second.repriced()).isZero();
      assertThat(told).hasSize(3);
      assertThat(report(reader, "team").total()).isEqualByComparingTo(byTeam.total());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aRunInterruptedBetweenPagesLosesNothingAndARerunFinishesIt(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      write(db, config, yesterday());
      LedgerReader reader = new LedgerReader(db.dataSource());
      BigDecimal before = report(reader, "team").total();
      // The second page's commit fails, as a kill or a lost database would end it.
      Repricer interrupted =
          new Repricer(reader, new Repricings(failingAfter(1, db.dataSource())), NOW, 2);
      assertThatThrownBy(() -> interrupted.run(WITH_LATE_PRICE, FROM, TO, null, false, c -> {}))
          .isInstanceOf(SQLException.class);
      // The first page (c3, c4) is in, whole, and the totals agree with the rows.
      assertThat(report(reader, "team").total())
          .isEqualByComparingTo(before.add(new BigDecimal("0.004")));
      assertThat(report(reader, "tag:env").total())
          .isEqualByComparingTo(report(reader, "team").total());

      RepriceResult rerun =
          new Repricer(reader, new Repricings(db.dataSource()), NOW, 2)
              .run(WITH_LATE_PRICE, FROM, TO, null, false, c -> {});
      assertThat(rerun.repriced()).isEqualTo(1); // c5; c3 and c4 are already right
      assertThat(report(reader, "team").total())
          .isEqualByComparingTo(before.add(new BigDecimal("0.006")));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite"})
  void aDryRunChangesNothingAndOnlyTheNamedModelIsRepriced(String backend) throws Exception {
    LedgerConfig config = ledgers.config(backend);
    try (Database db = Database.open(config, dir)) {
      write(db, config, yesterday());
      LedgerReader reader = new LedgerReader(db.dataSource());
      Repricer repricer = new Repricer(reader, new Repricings(db.dataSource()), NOW);
      RepriceResult dry = repricer.run(WITH_LATE_PRICE, FROM, TO, "gpt-late", true, c -> {});
      assertThat(dry.repriced()).isEqualTo(3);
      assertThat(report(reader, "team").total()).isEqualByComparingTo("0.00135");
      assertThat(repricer.run(WITH_LATE_PRICE, FROM, TO, "gpt-mystery", false, c -> {}).repriced())
          .isZero();
    }
  }

  /** A data source whose connections fail after the first {@code n} handed out. */
  private static DataSource failingAfter(int n, DataSource real) {
    AtomicInteger handed = new AtomicInteger();
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection") && handed.incrementAndGet() > n) {
                throw new SQLException("the database went away");
              }
              try {
                return method.invoke(real, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
