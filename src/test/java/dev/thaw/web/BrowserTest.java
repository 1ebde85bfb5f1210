package dev.thaw.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialDraft;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.testing.Cli;
import dev.thaw.testing.ConditionalStudy;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.PruningStudy;
import dev.thaw.testing.StudyFiles;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pages in a real headless Chromium, over a real server and a study that runs while the page is open. */
class BrowserTest {
    private static final int TRIALS = 3;
    /** Enough epochs that a trial runs for several seconds, long enough to be seen RUNNING and stopped from the page. */
    private static final int EPOCHS = 120;
    private static final Path DOWNLOADS = Path.of("target", "browser-downloads").toAbsolutePath();
    private static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() throws Exception {
        browser = Browser.start(DOWNLOADS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Finds and clicks in one step, again if the live page re-rendered the element in between. */
    private static void click(By element) {
        waiting(10).until(b -> {
            b.findElement(element).click();
            return true;
        });
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#trials tbody tr"));
    }

    /** The texts of one column, read in one go (the table may re-render between two element reads). */
    @SuppressWarnings("unchecked")
    private static List<String> column(String cssClass) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("return [...document.querySelectorAll("
                + "'#trials tbody tr td." + cssClass + "')].map(td => td.textContent);");
    }

    @Test
    void theLeaderboardFillsWhileAStudyRunsAndSortsOpensAndDownloads() throws Exception {
        Fixture f = Fixture.get();
        Path dir = Files.createTempDirectory("thaw-browser");
        Path results = dir.resolve("results");
        Path study = dir.resolve("live.yaml");
        Files.writeString(study, StudyFiles.tiny("live-tiny", f.data, f.sourceModel, results, TRIALS, EPOCHS));
        try (Database db = Database.open(Database.fileUrl(results));
             WebServer server = Servers.start(db, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            String base = "http://127.0.0.1:" + server.port();
            browser.get(base + "/");
            CompletableFuture<Cli> run = CompletableFuture.supplyAsync(() -> Cli.run("run", study.toString()));
            try {
                watchSortOpenAndDownload(db, run);
            } finally {
                // a failed check must not leave the study running into the next test
                if (!run.isDone()) {
                    StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
                    studies.find("live-tiny").ifPresent(s -> studies.requestStop(s.id(), "test over", true));
                    run.get(2, TimeUnit.MINUTES);
                }
            }
        }
    }

    /** Watches rows arrive, stops a trial, sorts, downloads the export and opens the best trial. */
    private static void watchSortOpenAndDownload(Database db, CompletableFuture<Cli> run) throws Exception {
        waiting(60).until(b -> !b.findElements(By.linkText("live-tiny")).isEmpty());
        click(By.linkText("live-tiny"));
        waiting(10).until(b -> !rows().isEmpty() || run.isDone());
        ((JavascriptExecutor) browser).executeScript("window.thawMarker = 'not reloaded';");
        int firstSeen = rows().size();

        String stopped = stopOneRunningTrial();

        waiting(240).until(b -> rows().size() == TRIALS && column("state").stream()
                .allMatch(s -> s.equals("COMPLETE") || s.equals("STOPPED")));
        assertEquals("not reloaded", ((JavascriptExecutor) browser).executeScript("return window.thawMarker;"));
        assertTrue(firstSeen < TRIALS, "rows arrived while the page was open (first saw " + firstSeen + ")");
        Cli done = run.get();
        assertEquals(0, done.exit(), done.toString());
        TrialRecord pruned = new TrialStore(db.dataSource(), Clock.systemUTC()).list(new StudyStore(db.dataSource(),
                Clock.systemUTC()).find("live-tiny").orElseThrow().id()).stream()
                .filter(t -> String.valueOf(t.number()).equals(stopped)).findFirst().orElseThrow();
        assertEquals("seen enough", pruned.reason().orElse(""), pruned.toString());

        waiting(30).until(b -> b.findElement(By.id("summary")).getText().contains("COMPLETE"));
        click(By.cssSelector("th[data-sort='score']"));
        waiting(10).until(b -> b.findElements(By.cssSelector("th[data-sort='score'].sorted")).size() == 1);
        click(By.cssSelector("th[data-sort='score']"));
        waiting(10).until(b -> b.findElements(By.cssSelector("th[data-sort='score'].sorted.desc")).size() == 1);
        List<Double> scores = column("score").stream().filter(s -> !s.isEmpty()).map(Double::parseDouble).toList();
        for (int i = 1; i < scores.size(); i++) {
            assertTrue(scores.get(i - 1) >= scores.get(i), "sorted by score, best first: " + scores);
        }
        String bestScore = waiting(10).until(b -> b.findElement(By.cssSelector("#trials tbody tr.best td.score"))
                .getText());
        assertEquals(scores.get(0), Double.parseDouble(bestScore), "the best trial is highlighted");
        waiting(10).until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
                "const c = echarts.getInstanceByDom(document.getElementById('chart-parallel'));"
                        + "return c !== undefined && c.getOption().series[0].data.length > 0;"));
        screenshot("leaderboard.png");

        long studyId = new StudyStore(db.dataSource(), Clock.systemUTC()).find("live-tiny").orElseThrow().id();
        Path export = DOWNLOADS.resolve(studyId + "-best.yaml");
        Files.deleteIfExists(export);
        browser.findElement(By.id("download-export")).click();
        waiting(20).until(b -> Files.isRegularFile(export));
        assertTrue(Files.readString(export).contains("name: live-tiny-best"), Files.readString(export));

        click(By.cssSelector("#trials tbody tr.best a"));
        waiting(20).until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
                "const c = echarts.getInstanceByDom(document.getElementById('chart-epochs'));"
                        + "return c !== undefined && c.getOption().series[0].data.length > 0;"));
        assertEquals(2, browser.findElements(By.cssSelector("#per-class tbody tr")).size());
        assertTrue(browser.findElement(By.id("trial-title")).getText().contains("(best)"));
        screenshot("trial.png");
    }

    /** Clicks "stop" on a running trial with a reason; returns its number. Retries when a trial ends first. */
    private static String stopOneRunningTrial() {
        for (int attempt = 0; attempt < 20; attempt++) {
            // find a running row and click its stop button in one step: the table re-renders as trials move
            String number = waiting(120).until(b -> {
                for (WebElement r : b.findElements(By.cssSelector("#trials tbody tr"))) {
                    if (r.findElement(By.cssSelector("td.state")).getText().equals("RUNNING")) {
                        String n = r.getAttribute("data-number");
                        r.findElement(By.cssSelector("button")).click();
                        return n;
                    }
                }
                return null;
            });
            browser.findElement(By.id("stop-reason")).clear();
            browser.findElement(By.id("stop-reason")).sendKeys("seen enough");
            browser.findElement(By.cssSelector("#stop-form button[type='submit']")).click();
            String message = waiting(10).until(b -> {
                String m = b.findElement(By.id("stop-message")).getText();
                return m.isEmpty() ? null : m;
            });
            if (message.contains("asked to stop")) {
                browser.findElement(By.id("stop-cancel")).click();
                return number;
            }
            assertTrue(message.contains("already ended"), message);
        }
        throw new AssertionError("no running trial could be stopped");
    }

    @Test
    void namesValuesAndErrorsRenderAsText() throws Exception {
        String name = "<img src=x onerror=alert(1)>";
        String error = "<script>alert(2)</script> went wrong";
        Path dir = Files.createTempDirectory("thaw-escaping");
        try (Database db = Database.open(Database.fileUrl(dir));
             WebServer server = Servers.start(db, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
            TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
            StudyRecord s = studies.createOrContinue(name, "name: not-parsed", "h", Metric.VAL_ACCURACY,
                    Direction.MAXIMIZE, 2, 1);
            TrialRecord t = trials.create(s.id(), 1, new TrialDraft(new Assignment(Map.of("optimizer",
                    "<b onmouseover=alert(3)>adam</b>")), 1, "fp", "t", "d", "j"));
            trials.fail(t.id(), error);
            String base = "http://127.0.0.1:" + server.port();

            browser.get(base + "/");
            WebElement link = waiting(10).until(b -> b.findElements(By.cssSelector("#studies a")).stream()
                    .findFirst().orElse(null));
            assertEquals(name, link.getText());
            assertNoMarkupRan();

            link.click();
            waiting(10).until(b -> rows().size() == 1);
            assertEquals(name, browser.findElement(By.id("study-name")).getText());
            assertTrue(rows().get(0).getText().contains("<b onmouseover=alert(3)>adam</b>"), rows().get(0).getText());
            assertNoMarkupRan();

            click(By.cssSelector("#trials tbody tr a"));
            waiting(10).until(b -> b.findElement(By.id("failure")).getText().contains("went wrong"));
            assertEquals("Failed: " + error, browser.findElement(By.id("failure")).getText());
            assertNoMarkupRan();
        }
    }

    /**
     * The scratch baseline's row is marked and unranked, a cross-validated score shows its spread, and a trial's
     * most confident mistakes are listed on its page (as text, even an image path full of markup).
     */
    @Test
    void theBaselineSpreadAndMistakesShow() throws Exception {
        Path dir = Files.createTempDirectory("thaw-marks");
        try (Database db = Database.open(Database.fileUrl(dir));
             WebServer server = Servers.start(db, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
            TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
            StudyRecord s = studies.createOrContinue("marks", "name: not-parsed", "h", Metric.VAL_ACCURACY,
                    Direction.MAXIMIZE, 1, 1);
            Assignment params = new Assignment(Map.of("learning_rate", 0.01));
            dev.thaw.study.ClassificationReport report = new dev.thaw.study.ClassificationReport(
                    List.of(0, 1), new int[][]{{9, 1}, {1, 9}});
            String image = "cats/<img src=x onerror=alert(4)>.png";
            TrialRecord searched = trials.create(s.id(), 1, new TrialDraft(params, 1, "fp", "t", "d", "j"));
            trials.start(searched, "w");
            trials.finish(searched.id(), TrialState.COMPLETE, 0.9, Optional.of(0.0125), new dev.thaw.study.TrialResult(
                    report, 0.3, Optional.empty(), 1, List.of(), List.of(),
                    List.of(new dev.thaw.study.Misclassification(image, 0, 1, 0.97))), null);
            TrialRecord baseline = trials.create(s.id(), 2, new TrialDraft(params, 1, "fp", "t", "d", "j", true));
            trials.start(baseline, "w");
            trials.finish(baseline.id(), TrialState.COMPLETE, 0.8, new dev.thaw.study.TrialResult(report, 0.5,
                    Optional.empty(), 1), null);

            browser.get("http://127.0.0.1:" + server.port() + "/study.html?study=" + s.id());
            waiting(10).until(b -> rows().size() == 2);
            WebElement scratch = browser.findElement(By.cssSelector("#trials tbody tr.baseline"));
            assertTrue(scratch.getText().contains("0.8000"), scratch.getText());
            assertEquals("", scratch.findElement(By.cssSelector("td")).getText().replace("scratch", "").replace("-", "")
                    .strip(), "the baseline has no rank");
            WebElement best = browser.findElement(By.cssSelector("#trials tbody tr.best"));
            assertTrue(best.getText().contains("0.9000 ±0.0125"), best.getText());

            click(By.cssSelector("#trials tbody tr.best a"));
            // the study file does not read here, so the classes are the report's own 0..k-1
            waiting(10).until(b -> b.findElements(By.cssSelector("#mistakes tbody tr td")).size() == 4);
            List<WebElement> cells = browser.findElements(By.cssSelector("#mistakes tbody tr td"));
            assertEquals(image, cells.get(0).getText());
            assertEquals("0.9700", cells.get(3).getText());
            assertNoMarkupRan();
        }
    }

    /**
     * Issue 11, case 4: on a server with a token the downloads need it, which a plain link cannot send; the page
     * opened at the printed address fetches the file with its token and saves it.
     */
    @Test
    void thePageDownloadsWithTheTokenWhenTheServerHasOne() throws Exception {
        Fixture f = Fixture.get();
        Path dir = Files.createTempDirectory("thaw-token-download");
        Path results = dir.resolve("results");
        Path study = dir.resolve("token.yaml");
        Files.writeString(study, StudyFiles.tiny("token-tiny", f.data, f.sourceModel, results, 2, 1));
        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        try (Database db = Database.open(Database.fileUrl(results));
             WebServer server = Servers.start(db, new WebOptions("127.0.0.1", 0,
                     Optional.of("page-token-0123456789")))) {
            long studyId = new StudyStore(db.dataSource(), Clock.systemUTC()).find("token-tiny").orElseThrow().id();
            Path export = DOWNLOADS.resolve(studyId + "-best.yaml");
            Files.deleteIfExists(export);
            browser.get(server.url());
            waiting(20).until(b -> !b.findElements(By.linkText("token-tiny")).isEmpty());
            click(By.linkText("token-tiny"));
            waiting(10).until(b -> b.findElement(By.id("download-export")).getAttribute("href") != null);
            click(By.id("download-export"));
            waiting(20).until(b -> Files.isRegularFile(export));
            assertTrue(Files.readString(export).contains("name: token-tiny-best"), Files.readString(export));
            assertTrue(browser.findElements(By.cssSelector(".download-error")).isEmpty(), "no error shown");
        }
    }

    /**
     * A parameter inactive in a trial (its condition did not hold) is an empty cell on the leaderboard, sorts last
     * whichever way, and is an empty row on the trial's page; the charts draw the others.
     */
    @Test
    void anInactiveParameterIsAnEmptyCellThatSortsLast() throws Exception {
        Path results = Files.createTempDirectory("thaw-inactive").resolve("results");
        try (Database db = Database.open(Database.fileUrl(results));
             WebServer server = Servers.start(db, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            StudyRecord s = ConditionalStudy.create(db, Fixture.get(), results);
            String base = "http://127.0.0.1:" + server.port();
            browser.get(base + "/study.html?study=" + s.id());
            waiting(10).until(b -> rows().size() == 3);
            assertEquals(List.of("1:", "2:0.5", "3:0.9"), momentumCells());
            click(By.cssSelector("th[data-sort='momentum']"));
            waiting(10).until(b -> momentumCells().equals(List.of("2:0.5", "3:0.9", "1:")));
            click(By.cssSelector("th[data-sort='momentum']"));
            waiting(10).until(b -> momentumCells().equals(List.of("3:0.9", "2:0.5", "1:")));
            waiting(10).until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
                    "const c = echarts.getInstanceByDom(document.getElementById('chart-parallel'));"
                            + "return c !== undefined && c.getOption().series[0].data.length === 3;"));
            assertFalse(browser.findElement(By.id("importance-method")).getText().startsWith("charts:"));

            browser.get(base + "/trial.html?study=" + s.id() + "&trial=1");
            WebElement momentum = waiting(10).until(b -> b.findElements(By.cssSelector("#params tbody tr")).stream()
                    .filter(r -> r.findElement(By.cssSelector("th")).getText().equals("momentum")).findFirst()
                    .orElse(null));
            assertEquals("", momentum.findElement(By.cssSelector("td")).getText());
            assertEquals("muted", momentum.getAttribute("class"));
            assertEquals("adam", browser.findElements(By.cssSelector("#params tbody tr")).stream()
                    .filter(r -> r.findElement(By.cssSelector("th")).getText().equals("optimizer")).findFirst()
                    .orElseThrow().findElement(By.cssSelector("td")).getText());
        }
    }

    /**
     * Issue 13: pruned, stopped and paused trials show in their states' colours with their reasons (a user's markup as
     * text, in the table, the chart's tooltip and the trial page), filter by state, and never as best; the chart of
     * intermediate values draws a line per search trial, ends a pruned, stopped or paused one in its own marker, draws
     * the rungs the API gives, and takes a new epoch live; a paused trial's page lists its pauses and thaws.
     */
    @Test
    void prunedStoppedAndPausedTrialsShowWithReasonsCurvesAndPauses() throws Exception {
        Path results = Files.createTempDirectory("thaw-browser-pruning").resolve("results");
        try (Database db = Database.open(Database.fileUrl(results));
             WebServer server = Servers.start(db, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            StudyRecord s = PruningStudy.create(db, Fixture.get(), results);
            String base = "http://127.0.0.1:" + server.port();
            browser.get(base + "/study.html?study=" + s.id());
            waiting(10).until(b -> rows().size() == 7);
            assertEquals("1", browser.findElement(By.cssSelector("#trials tbody tr.best")).getAttribute("data-number"));
            assertEquals(PruningStudy.MARKUP, row(3).findElement(By.cssSelector("td.reason")).getText());
            assertEquals(PruningStudy.PRUNED_REASON, row(2).findElement(By.cssSelector("td.reason")).getText());
            assertEquals("rgba(124, 58, 237, 1)", row(4).findElement(By.cssSelector("td.state-PAUSED"))
                    .getCssValue("color"), "PAUSED has a colour of its own");
            assertEquals("rgba(71, 85, 105, 1)", row(3).findElement(By.cssSelector("td.state-STOPPED"))
                    .getCssValue("color"), "so has STOPPED");
            assertEquals(1, row(4).findElements(By.cssSelector("button.danger")).size(), "a paused trial can be stopped");
            assertNoMarkupRan();

            for (String state : List.of("PAUSED", "STOPPED")) {
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-state")))
                        .selectByVisibleText(state);
                click(By.id("filter-apply"));
                waiting(10).until(b -> column("state").equals(List.of(state)));
            }
            click(By.id("filter-clear"));
            waiting(10).until(b -> rows().size() == 7);

            waiting(10).until(b -> intermediate("return o.series.filter(x => x.id.startsWith('trial-')).length;")
                    .equals(4L));
            assertEquals(List.of("COMPLETE", "PRUNED", "STOPPED", "PAUSED"), intermediate(
                    "return o.series.filter(x => x.id.startsWith('trial-')).map(x => x.name);"));
            assertEquals(List.of("none", "triangle", "rect", "diamond"), intermediate("return o.series.filter(x => "
                    + "x.id.startsWith('trial-')).map(x => x.data[x.data.length - 1].symbol || 'none');"));
            JsonNode api = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.net.http.HttpClient
                    .newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                                    + "/api/studies/" + s.id() + "/intermediate")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            List<Long> rungs = new java.util.ArrayList<>();
            api.get("rungs").forEach(r -> rungs.add(r.asLong()));
            assertEquals(rungs, intermediate("const r = o.series.find(x => x.id === 'rungs');"
                    + "return r ? r.markLine.data.map(d => d.xAxis) : [];"), "the rungs the API gives");
            assertEquals(List.of("rung 1", "rung 2", "rung 3"), intermediate("const r = o.series.find(x => x.id === "
                    + "'rungs'); return r.markLine.data.map(d => r.markLine.label.formatter.replace('{b}', d.name));"),
                    "labelled as the pruner's reasons count rungs, not by their epochs (1, 2, 4)");
            assertEquals(api.get("rungNote").asText(), browser.findElement(By.id("intermediate-note")).getText());
            element("chart-intermediate", "intermediate.png");
            String tip = (String) ((JavascriptExecutor) browser).executeScript("const c = echarts.getInstanceByDom("
                    + "document.getElementById('chart-intermediate'));"
                    + "const i = c.getOption().series.findIndex(x => x.id === 'trial-3');"
                    + "c.dispatchAction({type: 'showTip', seriesIndex: i, dataIndex: 1});"
                    + "return document.getElementById('chart-intermediate').textContent;");
            assertTrue(tip.contains("#3 STOPPED, epoch 2: 0.4500") && tip.contains(PruningStudy.MARKUP), tip);
            assertNoMarkupRan();

            TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
            trials.recordEpoch(trials.list(s.id()).get(6).id(), new dev.thaw.study.MetricPoint(2, 0.5, 0.5, 0.6, 0.6));
            waiting(20).until(b -> intermediate("return o.series.filter(x => x.id.startsWith('trial-')).length;")
                    .equals(5L));

            click(By.cssSelector("#trials tbody tr[data-number='4'] a"));
            waiting(10).until(b -> b.findElements(By.cssSelector("#pauses tbody tr")).size() == 2);
            assertEquals("Paused: " + PruningStudy.SECOND_PAUSE, browser.findElement(By.id("failure")).getText());
            List<WebElement> pauses = browser.findElements(By.cssSelector("#pauses tbody tr"));
            assertTrue(pauses.get(0).getText().startsWith("2 " + PruningStudy.FIRST_PAUSE), pauses.get(0).getText());
            assertFalse(pauses.get(0).getText().contains("not thawed"), pauses.get(0).getText());
            assertTrue(pauses.get(1).getText().startsWith("4 " + PruningStudy.SECOND_PAUSE), pauses.get(1).getText());
            assertTrue(pauses.get(1).getText().endsWith("not thawed"), pauses.get(1).getText());
            waiting(10).until(b -> (Boolean) ((JavascriptExecutor) b).executeScript(
                    "const c = echarts.getInstanceByDom(document.getElementById('chart-epochs'));"
                            + "return c !== undefined && c.getOption().series[0].markLine.data.length === 2;"));

            browser.get(base + "/trial.html?study=" + s.id() + "&trial=3");
            waiting(10).until(b -> b.findElement(By.id("failure")).getText().startsWith("Stopped: "));
            assertEquals("Stopped: " + PruningStudy.MARKUP, browser.findElement(By.id("failure")).getText());
            assertFalse(browser.findElement(By.id("pauses-section")).isDisplayed(), "no pauses: no section");
            assertNoMarkupRan();
        }
    }

    private static WebElement row(int number) {
        return browser.findElement(By.cssSelector("#trials tbody tr[data-number='" + number + "']"));
    }

    /** What {@code body} returns given {@code o}, the options of the chart of intermediate values (null before). */
    private static Object intermediate(String body) {
        return ((JavascriptExecutor) browser).executeScript("const c = echarts.getInstanceByDom("
                + "document.getElementById('chart-intermediate')); if (!c) return null; const o = c.getOption();"
                + body);
    }

    /** Each row's trial number and momentum cell, as {@code 2:0.5}, in the order shown. */
    @SuppressWarnings("unchecked")
    private static List<String> momentumCells() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript("const i = [...document.querySelectorAll("
                + "'#trials thead th')].findIndex(th => th.dataset.sort === 'momentum');"
                + "return [...document.querySelectorAll('#trials tbody tr')].map(r => r.dataset.number + ':' "
                + "+ r.children[i].textContent);");
    }

    private static void assertNoMarkupRan() {
        assertTrue(browser.findElements(By.cssSelector("main img, main script, [onerror], [onmouseover]")).isEmpty(),
                "no element was made from server text");
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
    }

    /** A picture of the element with this id, in {@code target/}. */
    private static void element(String id, String file) throws Exception {
        WebElement element = browser.findElement(By.id(id));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView();", element);
        Path png = element.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, Path.of("target", file), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void screenshot(String file) throws Exception {
        Path png = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, Path.of("target", file), StandardCopyOption.REPLACE_EXISTING);
    }
}
