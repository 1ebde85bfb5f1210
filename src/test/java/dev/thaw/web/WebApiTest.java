package dev.thaw.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialDraft;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON API on a real Javalin server, over a real H2 file filled by a real tiny study run from the CLI. */
class WebApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRIALS = 4;
    private static Path dir;
    private static Database db;
    private static WebServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void runAStudyAndServeIt() throws Exception {
        Fixture f = Fixture.get();
        dir = Files.createTempDirectory("thaw-web-api");
        Path results = dir.resolve("results");
        Path study = dir.resolve("tiny.yaml");
        Files.writeString(study, StudyFiles.tiny("web-tiny", f.data, f.sourceModel, results, TRIALS, 2));
        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        db = Database.open(Database.fileUrl(results));
        server = Servers.start(db, new WebOptions("127.0.0.1", 0, Optional.empty()));
        http = HttpClient.newHttpClient();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String path) throws Exception {
        return json(base, path);
    }

    private static JsonNode json(String root, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(int status, HttpResponse<String> r, String fragment) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.get("message").asText().contains(fragment), r.body());
    }

    private static List<JsonNode> rows(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.get("rows").forEach(out::add);
        return out;
    }

    @Test
    void studiesListTheirProgressAndBest() throws Exception {
        JsonNode study = null;
        for (JsonNode s : json("/api/studies")) {
            if (s.get("name").asText().equals("web-tiny")) {
                study = s;
            }
        }
        assertNotNull(study);
        assertEquals("COMPLETE", study.get("status").asText());
        assertEquals(TRIALS, study.get("finished").asInt());
        assertEquals(TRIALS, study.get("budget").asInt());
        JsonNode view = json("/api/studies/web-tiny");
        assertEquals(study.get("id").asLong(), view.get("study").get("id").asLong());
        assertEquals("log", view.get("parameters").get(0).get("axis").asText(), "learning_rate is searched on a log scale");
        assertEquals("[2,3]", view.get("classes").toString());
        assertEquals(view.toString(), json("/api/studies/" + study.get("id").asLong()).toString(), "by id or by name");
    }

    /**
     * Issue 10, case 3: the same rank and best everywhere. A stopped trial with a higher partial score, a scratch
     * baseline that beats the search (negative transfer) and a tie: the summary, the study view, the leaderboard, the
     * best trial and the charts agree that trial 1 is best, ties share rank 1, and the baseline is never counted.
     */
    @Test
    void theApiAndTheChartsRankByTheStoresOneDefinition() throws Exception {
        Path other = Files.createTempDirectory("thaw-ranking");
        try (Database rdb = Database.open(Database.fileUrl(other));
             WebServer rserver = Servers.start(rdb, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            TrialStore trials = new TrialStore(rdb.dataSource(), Clock.systemUTC());
            StudyRecord s = new StudyStore(rdb.dataSource(), Clock.systemUTC()).createOrContinue("ranks",
                    "name: not-parsed", "h", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 3, 1);
            var report = new dev.thaw.study.ClassificationReport(List.of(0, 1), new int[][]{{1, 0}, {0, 1}});
            Object[][] plan = {{dev.thaw.study.TrialState.COMPLETE, 0.5, false},
                    {dev.thaw.study.TrialState.PRUNED, 0.95, false}, {dev.thaw.study.TrialState.COMPLETE, 0.5, false},
                    {dev.thaw.study.TrialState.COMPLETE, 0.9, true}};
            for (Object[] p : plan) {
                var t = trials.create(s.id(), trials.nextNumber(s.id()), new TrialDraft(
                        new Assignment(Map.of("learning_rate", 0.01)), 1, "fp", "t", "d", "j", (Boolean) p[2]));
                trials.start(t, "w");
                trials.finish(t.id(), (dev.thaw.study.TrialState) p[0], (Double) p[1],
                        new dev.thaw.study.TrialResult(report, 0.3, Optional.empty(), 1),
                        p[0] == dev.thaw.study.TrialState.PRUNED ? "stopped: enough" : null);
            }
            String root = "http://127.0.0.1:" + rserver.port();
            {
                JsonNode summary = json(root, "/api/studies").get(0);
                assertEquals(3, summary.get("finished").asInt(), "the baseline is not a finished trial of the budget");
                assertEquals(0.5, summary.get("best").asDouble(), "neither the baseline's 0.9 nor the stopped 0.95");
                JsonNode view = json(root, "/api/studies/ranks");
                assertEquals(0.5, view.get("study").get("best").asDouble());
                assertEquals(1, view.get("bestTrial").asInt());
                assertEquals(1, json(root, "/api/studies/ranks/best").get("trial").get("number").asInt());
                List<JsonNode> rows = rows(json(root, "/api/studies/ranks/trials"));
                assertEquals("[1, 3, 2, 4]", rows.stream().map(r -> r.get("number").asInt()).toList().toString());
                assertEquals("[1, 1, null, null]", rows.stream().map(r -> r.get("rank").isNull() ? "null"
                        : r.get("rank").asText()).toList().toString());
                JsonNode charts = json(root, "/api/studies/ranks/charts");
                List<Integer> drawn = new ArrayList<>();
                charts.get("bestSoFar").forEach(b -> drawn.add(b.get("number").asInt()));
                charts.get("points").forEach(b -> drawn.add(b.get("number").asInt()));
                assertEquals(List.of(1, 3, 1, 3), drawn, "best so far and points draw ranked trials only");
            }
        }
    }

    @Test
    void trialsAreSortedFilteredAndPagedByTheServer() throws Exception {
        List<JsonNode> byScore = rows(json("/api/studies/web-tiny/trials?sort=score&order=desc"));
        assertEquals(TRIALS, byScore.size());
        for (int i = 1; i < byScore.size(); i++) {
            assertTrue(byScore.get(i - 1).get("score").asDouble() >= byScore.get(i).get("score").asDouble(), byScore.toString());
        }
        JsonNode first = rows(json("/api/studies/web-tiny/trials")).get(0);
        assertEquals(1, first.get("rank").asInt(), "the default order is by rank");
        assertEquals(byScore.get(0).get("score").asDouble(), first.get("score").asDouble());
        assertEquals(json("/api/studies/web-tiny/best").get("trial").get("number").asInt(), first.get("number").asInt());

        List<JsonNode> byRate = rows(json("/api/studies/web-tiny/trials?sort=learning_rate&order=asc"));
        for (int i = 1; i < byRate.size(); i++) {
            assertTrue(byRate.get(i - 1).get("params").get("learning_rate").asDouble()
                    <= byRate.get(i).get("params").get("learning_rate").asDouble());
        }
        JsonNode page = json("/api/studies/web-tiny/trials?sort=number&limit=3&offset=3");
        assertEquals(TRIALS, page.get("total").asInt());
        assertEquals(List.of(4), rows(page).stream().map(r -> r.get("number").asInt()).toList());

        JsonNode adam = json("/api/studies/web-tiny/trials?param=optimizer&value=adam");
        rows(adam).forEach(r -> assertEquals("adam", r.get("params").get("optimizer").asText()));
        assertEquals(rows(adam).size(), adam.get("total").asInt());
        JsonNode batch = json("/api/studies/web-tiny/trials?param=batch_size&value=8");
        rows(batch).forEach(r -> assertEquals(8, r.get("params").get("batch_size").asInt()));
        JsonNode range = json("/api/studies/web-tiny/trials?param=dropout&min=0&max=0.15");
        rows(range).forEach(r -> assertTrue(r.get("params").get("dropout").asDouble() <= 0.15));
        assertEquals(TRIALS, json("/api/studies/web-tiny/trials?state=COMPLETE").get("total").asInt());
        assertEquals(0, json("/api/studies/web-tiny/trials?state=FAILED,PRUNED").get("total").asInt());
    }

    @Test
    void aTrialCarriesItsEpochsReportAndProvenance() throws Exception {
        JsonNode d = json("/api/studies/web-tiny/trials/2");
        assertEquals(2, d.get("trial").get("number").asInt());
        assertEquals(2, d.get("epochs").size());
        assertTrue(d.get("epochs").get(0).has("trainLoss"));
        JsonNode v = d.get("validation");
        assertEquals("[2,3]", v.get("classes").toString());
        assertEquals(2, v.get("perClass").size());
        int support = 0;
        for (JsonNode c : v.get("perClass")) {
            support += c.get("support").asInt();
        }
        int total = 0;
        for (JsonNode row : v.get("confusion")) {
            for (JsonNode n : row) {
                total += n.asInt();
            }
        }
        assertEquals(total, support, "every validation image is counted once");
        assertEquals("[\"2\",\"3\"]", v.get("names").toString(), "IDX classes are named by their labels");
        int wrong = v.get("confusion").get(0).get(1).asInt() + v.get("confusion").get(1).get(0).asInt();
        assertEquals(Math.min(wrong, 20), d.get("misclassified").size(), "the most confident mistakes, up to 20");
        for (JsonNode m : d.get("misclassified")) {
            assertTrue(m.get("example").asText().matches("train-images-idx3-ubyte\\.gz#\\d+"), m.toString());
            assertTrue(m.get("actual").asInt() != m.get("predicted").asInt());
        }
        assertTrue(d.get("test").has("accuracy"), "the study has a test split");
        assertEquals(5, d.get("trial").get("seed").asLong());
        assertTrue(d.get("trial").get("datasetFingerprint").asText().startsWith("sha256:"));
    }

    @Test
    void chartsComeAsPlainData() throws Exception {
        JsonNode c = json("/api/studies/web-tiny/charts");
        assertEquals(TRIALS, c.get("bestSoFar").size());
        assertEquals(TRIALS, c.get("points").size());
        double best = Double.NEGATIVE_INFINITY;
        for (JsonNode b : c.get("bestSoFar")) {
            assertTrue(b.get("best").asDouble() >= best, "best so far never gets worse");
            best = b.get("best").asDouble();
        }
        assertEquals(5, c.get("importance").size());
        assertTrue(c.get("importanceMethod").asText().contains("ANOVA"));
    }

    @Test
    void theBestConfigurationAndModelDownload() throws Exception {
        HttpResponse<String> yaml = get("/api/studies/web-tiny/export");
        assertEquals(200, yaml.statusCode());
        assertTrue(yaml.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));
        assertTrue(yaml.body().contains("name: web-tiny-best"), yaml.body());
        assertTrue(yaml.body().contains("provenance:"), yaml.body());
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(base + "/api/studies/web-tiny/model"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        assertArrayEquals(new byte[]{'P', 'K'}, java.util.Arrays.copyOf(zip.body(), 2), "a zip file");
    }

    @Test
    void errorsAreJsonWithTheRightStatus() throws Exception {
        assertError(404, get("/api/studies/no-such-study"), "no study 'no-such-study'");
        assertError(404, get("/api/studies/web-tiny/trials/99"), "has no trial 99");
        assertError(404, get("/api/studies/no-such-study/export"), "no study");
        assertError(404, get("/api/nothing-here"), "not found");
        assertError(400, get("/api/studies/web-tiny/trials?sort=color"), "cannot sort by 'color'");
        assertError(400, get("/api/studies/web-tiny/trials?limit=100000"), "limit must be 1..500");
        assertError(400, get("/api/studies/web-tiny/trials?offset=-1"), "offset must be >= 0");
        assertError(400, get("/api/studies/web-tiny/trials?state=DONE"), "unknown state 'DONE'");
        assertError(400, get("/api/studies/web-tiny/trials?order=up"), "order must be asc or desc");
        assertError(400, get("/api/studies/web-tiny/trials?param=color&value=red"), "cannot filter by 'color'");
        assertError(400, get("/api/studies/web-tiny/trials?param=dropout&min=0.5&max=0.1"), "min <= max");
        assertError(400, get("/api/studies/web-tiny/trials/two"), "whole number");
        Map<String, String> json = Map.of("Content-Type", "application/json");
        assertError(409, post("/api/studies/web-tiny/trials/1/stop", "{\"reason\": \"enough\"}", json), "already ended");
        assertError(409, post("/api/studies/web-tiny/stop", "{\"reason\": \"enough\"}", json), "not running");
        assertError(400, post("/api/studies/web-tiny/stop", "{\"now\": true}", json), "needs a reason");
        assertError(400, post("/api/studies/web-tiny/stop", "not json", json), "must be JSON");
        assertError(415, post("/api/studies/web-tiny/stop", "reason=x", Map.of("Content-Type",
                "application/x-www-form-urlencoded")), "application/json");
    }

    @Test
    void noRequestValueBecomesAFilePath() throws Exception {
        for (String path : List.of("/../pom.xml", "/%2e%2e/pom.xml", "/api/studies/web-tiny/model?path=/etc/passwd",
                "/webjars/../../../../etc/passwd", "/web/../pom.xml")) {
            HttpResponse<String> r = get(path);
            assertFalse(r.body().contains("<artifactId>thaw</artifactId>") || r.body().contains("root:x:0"),
                    path + " leaked a file");
        }
    }

    @Test
    void pagesAndTheChartLibraryAreServedWithSecurityHeaders() throws Exception {
        for (String path : List.of("/", "/study.html", "/trial.html", "/thaw.js", "/webjars/echarts/5.5.0/echarts.min.js")) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"), path);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), path);
        }
    }

    @Test
    void aLoopbackServerRefusesRequestsForOtherHostNames() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /api/studies HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertTrue(status.contains(" 403 "), status);
        }
    }

    @Test
    void aServerWithATokenRefusesStopsWithoutIt() throws Exception {
        String token = "0123456789abcdef-token";
        try (WebServer guarded = Servers.start(db, new WebOptions("127.0.0.1", 0, Optional.of(token)))) {
            String url = "http://127.0.0.1:" + guarded.port() + "/api/studies/web-tiny/trials/1/stop";
            for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("X-Thaw-Token", "wrong"))) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"x\"}"));
                headers.forEach(b::header);
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertError(401, r, "needs its token");
            }
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").header("X-Thaw-Token", token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertError(409, ok, "already ended");
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.port()
                    + "/api/studies")).build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "reading needs no token");
        }
        try (WebServer open = Servers.start(db, new WebOptions("0.0.0.0", 0, Optional.empty()))) {
            assertTrue(open.token().isPresent(), "a server reachable from other machines always has a token");
            assertTrue(open.url().endsWith("#token=" + open.token().get()), open.url());
        }
    }

    @Test
    void aPortInUseIsAClearError() {
        WebServerException e = assertThrows(WebServerException.class,
                () -> Servers.start(db, new WebOptions("127.0.0.1", server.port(), Optional.empty())));
        assertTrue(e.getMessage().contains("in use") && e.getMessage().contains("--port"), e.getMessage());
    }

    @Test
    void theEventStreamSaysWhenAStudyChanges() throws Exception {
        StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
        TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
        StudyRecord s = studies.createOrContinue("events", "name: events", "hash", Metric.VAL_ACCURACY,
                Direction.MAXIMIZE, 3, 1);
        BlockingQueue<String> events = new ArrayBlockingQueue<>(100);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/studies/" + s.id() + "/events"))
                .header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> stream = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                stream.headers().map().toString());
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        events.add(line.substring(6).trim());
                    }
                }
            } catch (IOException e) {
                // closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertEquals("hello", events.poll(10, TimeUnit.SECONDS));
        trials.create(s.id(), 1, new TrialDraft(new Assignment(Map.of("dropout", 0.1)), 1, "fp", "t", "d", "j"));
        assertEquals("change", events.poll(10, TimeUnit.SECONDS), "a new trial is announced");
        stream.body().close();
    }
}
