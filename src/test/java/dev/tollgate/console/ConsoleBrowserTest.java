package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.ledger.ViewerTokens;
import dev.tollgate.testing.TestTollgate;
import java.io.File;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 28: the spend console in a real browser (the system's headless Chromium, driven by
 * Selenium) against a running Tollgate on a real SQLite ledger: sign in with the admin token and
 * with a viewer token; the overview's numbers are {@code /admin/spend}'s; the drill-down from team
 * to model; a viewer kept to its team; CSV equal to the API's; actions need the CSRF token; no
 * request leaves for another host and no script error or CSP violation is logged; a phone-sized
 * window works. Screenshots of each page go to {@code target/console-screenshots} (copied to
 * docs/console/).
 */
class ConsoleBrowserTest {
  private static final String ADMIN = "admin-token-for-the-console-test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir static Path dir;
  private static TestTollgate tollgate;
  private static WebDriver browser;
  private static String viewerToken;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    File chromium = new File("/usr/bin/chromium");
    File driver = new File("/usr/bin/chromedriver");
    if (!chromium.canExecute() || !driver.canExecute()) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(
            "CI needs chromium and chromium-driver (.ci/run installs them)");
      }
      System.out.println("SKIPPED console browser test: no /usr/bin/chromium or chromedriver");
      Assumptions.abort("no chromium");
    }
    Path budgets = dir.resolve("budgets.yaml");
    Files.writeString(
        budgets, "- {name: search-month, scope: 'team:search', limit_usd: 1.50, period: month}\n");
    String yaml =
        "data_dir: '"
            + dir
            + "'\nadmin: {token: '"
            + ADMIN
            + "'}\nbudgets: {file: '"
            + budgets
            + "'}\n";
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, yaml);
    TollgateConfig c = new ConfigLoader(Map.of()).load(config);
    List<Call> calls = calls();
    try (Database db = Database.open(c.ledger(), c.dataDir());
        LedgerWriter writer = new LedgerWriter(db, c.ledger())) {
      calls.forEach(writer::offer);
      Awaitility.await().until(() -> writer.written() == calls.size());
      viewerToken =
          new ViewerTokens(db.dataSource()).issue("lead", "search", Instant.now()).token();
    }
    tollgate = TestTollgate.start("http://127.0.0.1:9", yaml);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    browser =
        new ChromeDriver(
            new ChromeDriverService.Builder().usingDriverExecutable(driver).build(), options);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (tollgate != null) {
      tollgate.close();
    }
  }

  /** Spend this month (today) and last month, over two teams, projects, keys and models. */
  private static List<Call> calls() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    LocalDate lastMonth = today.withDayOfMonth(1).minusDays(3);
    String[][] who = {
      {"search", "ranking", "search-prod", "ana"},
      {"search", "ranking", "search-ci", "bo"},
      {"search", "indexer", "search-prod", "ana"},
      {"ads", "bidder", "ads-prod", "cy"},
    };
    String[] models = {"gpt-5.4", "gpt-5.4-mini", "o3"};
    List<Call> out = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      String[] w = who[i % who.length];
      LocalDate day = i % 5 == 4 ? lastMonth : today;
      String model = i == 78 ? "mystery-1" : models[i % models.length];
      boolean priced = i != 78; // today's: i % 5 != 4
      BigDecimal input = new BigDecimal("0.001234567891").multiply(BigDecimal.valueOf(i + 1));
      out.add(
          new Call(
              new Call.Request(
                  "req-console-" + i,
                  day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(i),
                  Api.CHAT,
                  "POST",
                  "/v1/chat/completions",
                  model,
                  i % 7 == 0 ? "flex" : null,
                  false,
                  new Attribution(w[0], w[1], w[3], w[2], Map.of(), false)),
              new Call.Relay(200, Outcome.OK, Timings.ofMillis(120, 30)),
              new Call.Served(
                  "api.openai.com",
                  model,
                  i % 7 == 0 ? "flex" : null,
                  new Usage(1000 + i, 200, 0, 300, 100, 0, 0),
                  Map.of(),
                  null,
                  "openai"),
              new Call.Charge(
                  priced ? PricingStatus.PRICED : PricingStatus.UNPRICED,
                  priced ? model + "@2026-03-05" : null,
                  Cost.of(
                      priced
                          ? Map.of(
                              CostComponent.INPUT,
                              input,
                              CostComponent.OUTPUT,
                              new BigDecimal("0.002"),
                              CostComponent.REASONING,
                              new BigDecimal("0.001"))
                          : Map.of()),
                  priced ? List.of() : List.of(Reason.of(Reason.Kind.NO_PRICE, model)),
                  Map.of())));
    }
    return out;
  }

  private static String base() {
    return "http://127.0.0.1:" + tollgate.adminPort();
  }

  private static JsonNode api(String pathAndQuery, String token) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(tollgate.adminUri(pathAndQuery))
                .header("Authorization", "Bearer " + token)
                .build(),
            BodyHandlers.ofString());
    assertThat(r.statusCode()).as(pathAndQuery + " " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String monthRange() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return "from=" + today.withDayOfMonth(1) + "&to=" + today.plusDays(1);
  }

  private static JavascriptExecutor js() {
    return (JavascriptExecutor) browser;
  }

  /** Goes to a console route and waits until that page has rendered. */
  private static WebElement open(String route) {
    Object before = js().executeScript("return document.getElementById('page').dataset.renders");
    js().executeScript("location.hash = arguments[0]", route);
    return rendered(before);
  }

  private static WebElement rendered(Object before) {
    new WebDriverWait(browser, Duration.ofSeconds(15))
        .until(
            d -> {
              Object now =
                  js().executeScript(
                          "const m = document.getElementById('page');"
                              + " return m.dataset.ready === 'true' ? m.dataset.renders : null");
              return now != null && !now.equals(before);
            });
    return browser.findElement(By.id("page"));
  }

  private static void signIn(String token) {
    browser.get(base() + "/console/");
    browser.manage().deleteAllCookies(); // whatever an earlier test left signed in
    browser.get(base() + "/console/");
    new WebDriverWait(browser, Duration.ofSeconds(15))
        .until(d -> d.findElement(By.id("signin")).isDisplayed());
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("signin-button")).click();
    rendered(null);
  }

  private static void signOut() {
    browser.findElement(By.id("signout")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("signin")).isDisplayed());
  }

  private static String usd(String cardId) {
    return browser.findElement(By.cssSelector("#" + cardId + " .usd")).getAttribute("data-usd");
  }

  private static void shot(String name) throws Exception {
    File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** A fetch made by the page itself, with its session cookie: [status, body]. */
  @SuppressWarnings("unchecked")
  private static List<Object> pageFetch(String path, String method, boolean csrf) {
    return (List<Object>)
        js().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const h = {};"
                    + "if (arguments[2]) h['x-csrf-token'] = Console.session().csrf;"
                    + "fetch(arguments[0], {method: arguments[1], headers: h, credentials:"
                    + " 'same-origin'}).then(r => r.text().then(t => done([r.status, t])));",
                path,
                method,
                csrf);
  }

  private static void noErrorsLogged() {
    List<LogEntry> severe =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            // The viewer's refusals are expected answers, logged by Chromium as failed loads.
            .filter(e -> !e.getMessage().contains("403"))
            .toList();
    assertThat(severe).as("script errors or CSP violations").isEmpty();
    @SuppressWarnings("unchecked")
    List<String> resources =
        (List<String>)
            js().executeScript(
                    "return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".concat([location.href])");
    assertThat(resources).isNotEmpty().allMatch(u -> u.startsWith(base() + "/"));
  }

  @Test
  void theAdminSeesWhatTheApiSaysAndDrillsDown() throws Exception {
    var page =
        http.send(
            HttpRequest.newBuilder(tollgate.adminUri("/console/")).build(),
            BodyHandlers.ofString());
    assertThat(page.headers().firstValue("content-security-policy").orElse(""))
        .contains("default-src 'none'")
        .contains("script-src 'self'")
        .doesNotContain("unsafe-inline");

    signIn(ADMIN);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    WebElement main = browser.findElement(By.id("page"));
    assertThat(main.getAttribute("data-page")).isEqualTo("overview");
    assertThat(usd("card-mtd"))
        .isEqualTo(api("/admin/spend?" + monthRange(), ADMIN).path("total_cost_usd").asText());
    assertThat(usd("card-today"))
        .isEqualTo(
            api("/admin/spend?from=" + today + "&to=" + today.plusDays(1), ADMIN)
                .path("total_cost_usd")
                .asText());
    assertThat(usd("card-last"))
        .isEqualTo(
            api(
                    "/admin/spend?from="
                        + today.withDayOfMonth(1).minusMonths(1)
                        + "&to="
                        + today.withDayOfMonth(1),
                    ADMIN)
                .path("total_cost_usd")
                .asText());
    assertThat(usd("card-forecast"))
        .isEqualTo(api("/admin/forecast", ADMIN).path("total").path("forecast_usd").asText());
    assertThat(browser.findElement(By.id("card-forecast")).getText()).contains("run-rate");
    assertThat(browser.findElement(By.cssSelector("#card-unpriced a")).getText()).isEqualTo("1");
    // The uPlot charts: 30 days by team, and today by the hour (today's calls are in its 00:00Z).
    assertThat(main.findElements(By.cssSelector("[data-chart] canvas"))).hasSize(2);
    assertThat(
            main.findElement(
                By.cssSelector(
                    "[data-chart='Spend per hour today, stacked by team (USD)'] canvas")))
        .isNotNull();
    assertThat(
            api("/admin/spend?from=" + today + "&to=" + today.plusDays(1) + "&group_by=hour", ADMIN)
                .path("rows")
                .get(0)
                .path("hour")
                .asText())
        .isEqualTo(today + "T00:00Z");
    shot("overview");

    // Teams → projects → keys/users → models, each level's total the API's.
    WebElement teams = open("#/teams");
    assertThat(teams.findElements(By.cssSelector("tbody tr"))).hasSize(2);
    shot("teams");
    Object before = js().executeScript("return document.getElementById('page').dataset.renders");
    teams.findElements(By.cssSelector("tbody tr")).stream()
        .filter(r -> r.getText().startsWith("search"))
        .findFirst()
        .orElseThrow()
        .click();
    WebElement projects = rendered(before);
    assertThat(projects.findElement(By.tagName("h1")).getText()).isEqualTo("Projects");
    assertThat(projects.findElements(By.cssSelector("tbody tr"))).hasSize(2);
    String projectsCsv = browser.findElement(By.id("csv")).getAttribute("href");
    assertThat(projectsCsv).contains("group_by=project").contains("team=search");
    // The CSV the page links equals the API's, read with the session as a browser would.
    List<Object> csv = pageFetch(projectsCsv, "GET", false);
    assertThat(((Number) csv.get(0)).intValue()).isEqualTo(200);
    String apiCsv =
        http.send(
                HttpRequest.newBuilder(
                        tollgate.adminUri(
                            "/admin/spend?"
                                + monthRange()
                                + "&group_by=project&team=search&format=csv"))
                    .header("Authorization", "Bearer " + ADMIN)
                    .build(),
                BodyHandlers.ofString())
            .body();
    assertThat(csv.get(1)).isEqualTo(apiCsv);
    assertThat(browser.findElement(By.cssSelector(".actions .usd")).getAttribute("data-usd"))
        .isEqualTo(
            api("/admin/spend?" + monthRange() + "&team=search", ADMIN)
                .path("total_cost_usd")
                .asText());
    WebElement keys = open("#/teams?team=search&project=ranking");
    assertThat(keys.findElement(By.tagName("h1")).getText()).isEqualTo("Keys");
    WebElement users = open("#/teams?team=search&project=ranking&by=user");
    assertThat(users.findElement(By.tagName("h1")).getText()).isEqualTo("Users");
    assertThat(users.findElements(By.cssSelector("tbody tr"))).hasSize(2); // ana and bo
    WebElement models = open("#/teams?team=search&project=ranking&key=search-ci");
    assertThat(models.findElement(By.tagName("h1")).getText()).isEqualTo("Models");
    assertThat(models.findElement(By.cssSelector(".actions .usd")).getAttribute("data-usd"))
        .isEqualTo(
            api(
                    "/admin/spend?" + monthRange() + "&team=search&project=ranking&key=search-ci",
                    ADMIN)
                .path("total_cost_usd")
                .asText());
    shot("teams-models");

    // Calls: paged, and one found by its request id with its detail.
    WebElement calls = open("#/calls");
    assertThat(calls.findElements(By.cssSelector("tbody tr"))).hasSize(50);
    assertThat(calls.findElements(By.id("older"))).hasSize(1);
    WebElement one = open("#/calls?id=req-console-7");
    one.findElement(By.cssSelector("tbody tr")).click();
    WebElement detail = browser.findElement(By.id("call-detail"));
    assertThat(detail.findElement(By.id("detail-id")).getText()).isEqualTo("req-console-7");
    assertThat(detail.getText()).contains("gpt-5.4-mini@2026-03-05").contains("Tokens by kind");
    shot("calls");

    open("#/budgets");
    assertThat(browser.findElement(By.id("page")).getText())
        .contains("search-month")
        .doesNotContain("403");
    shot("budgets");
    WebElement prices = open("#/prices?model=o3");
    assertThat(prices.getText()).contains("mystery-1").contains("2025-06-10");
    shot("prices");
    open("#/reconcile");
    shot("reconcile");

    // An action needs the session's CSRF token; with it, a dry-run reprice answers.
    List<Object> forged =
        pageFetch(
            "/admin/reprice?from=" + today.withDayOfMonth(1) + "&to=" + today.plusDays(1),
            "POST",
            false);
    assertThat(((Number) forged.get(0)).intValue()).isEqualTo(403);
    List<Object> real =
        pageFetch(
            "/admin/reprice?from="
                + today.withDayOfMonth(1)
                + "&to="
                + today.plusDays(1)
                + "&dry_run=true",
            "POST",
            true);
    assertThat(((Number) real.get(0)).intValue()).as(String.valueOf(real.get(1))).isEqualTo(200);

    // A phone-sized window: the page fits its width (tables scroll inside their box).
    browser.manage().window().setSize(new Dimension(390, 844));
    open("#/overview");
    Number overflow =
        (Number)
            js().executeScript("return document.documentElement.scrollWidth - window.innerWidth");
    assertThat(overflow.intValue()).isLessThanOrEqualTo(1);
    shot("overview-phone");
    browser.manage().window().setSize(new Dimension(1280, 1000));
    noErrorsLogged();
    signOut();
  }

  @Test
  void aViewerSeesItsTeamOnly() throws Exception {
    signIn(viewerToken);
    assertThat(browser.findElement(By.id("who")).getText()).contains("team search");
    assertThat(usd("card-mtd"))
        .isEqualTo(
            api("/admin/spend?" + monthRange() + "&team=search", ADMIN)
                .path("total_cost_usd")
                .asText());
    WebElement teams = open("#/teams");
    assertThat(teams.findElements(By.cssSelector("tbody tr")))
        .hasSize(1)
        .allMatch(r -> r.getText().startsWith("search"));
    // Another team's page and data: refused, never shown empty.
    WebElement other = open("#/teams?team=ads");
    assertThat(other.findElement(By.cssSelector(".error")).getAttribute("data-status"))
        .isEqualTo("403");
    assertThat(((Number) pageFetch("/admin/calls?team=ads", "GET", false).get(0)).intValue())
        .isEqualTo(403);
    assertThat(
            ((Number) pageFetch("/admin/spend?group_by=team&team=" + q("ads"), "GET", false).get(0))
                .intValue())
        .isEqualTo(403);
    // Read only: no action, even with the CSRF token.
    assertThat(
            ((Number)
                    pageFetch(
                            "/admin/reprice?from=2026-01-01&to=2026-01-02&dry_run=true",
                            "POST",
                            true)
                        .get(0))
                .intValue())
        .isEqualTo(403);
    WebElement calls = open("#/calls");
    assertThat(calls.findElements(By.cssSelector("tbody tr")))
        .isNotEmpty()
        .allMatch(r -> r.getText().contains("search"));
    shot("viewer-calls");
    signOut();
  }
}
