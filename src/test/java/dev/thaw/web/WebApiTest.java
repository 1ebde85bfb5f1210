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
import dev.thaw.testing.ConditionalStudy;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.PruningStudy;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
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
import java.util.Arrays;
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

    /** An answer read off the wire: status, headers (names in lower case) and body. */
    private record Raw(int status, Map<String, String> headers, String body) {
    }

    /** Sends {@code request} exactly as written (forged headers, paths no client would send) and reads the answer. */
    private static Raw raw(int port, String request) throws IOException {
        return raw("127.0.0.1", port, request);
    }

    private static Raw raw(String address, int port, String request) throws IOException {
        try (Socket s = new Socket(address, port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(bytes);
            } catch (IOException e) {
                // the server may reset a connection it refused once it has answered
            }
            String text = bytes.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertTrue(end > 0, "no answer to " + request.lines().findFirst().orElse("") + ": " + text);
            List<String> head = text.substring(0, end).lines().toList();
            Map<String, String> headers = new java.util.HashMap<>();
            head.subList(1, head.size()).forEach(h -> headers.put(h.substring(0, h.indexOf(':')).toLowerCase(
                    java.util.Locale.ROOT), h.substring(h.indexOf(':') + 1).strip()));
            return new Raw(Integer.parseInt(head.get(0).split(" ")[1]), headers, text.substring(end + 4));
        }
    }

    private static Raw rawGet(int port, String path, String host, String... headers) throws IOException {
        return rawGet("127.0.0.1", port, path, host, headers);
    }

    private static Raw rawGet(String address, int port, String path, String host, String... headers)
            throws IOException {
        return raw(address, port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + String.join("", Arrays.stream(headers)
                .map(h -> h + "\r\n").toList()) + "Connection: close\r\n\r\n");
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

    /**
     * Issue 13: pruned, stopped and paused trials are listed with their reasons and can be filtered by state; neither
     * the pruned trial with the highest score nor the stopped one is best, ranked or drawn as best so far; a user's
     * reason that is markup comes back as the same text in JSON; a paused trial's page has its pauses and thaws; the
     * chart of intermediate values has every search trial's objective by epoch, the baseline and trials without a
     * known objective left out; a pause is a change the event stream announces.
     */
    @Test
    void prunedStoppedAndPausedTrialsShowWithTheirReasonsAndNeverRankBest() throws Exception {
        Path results = Files.createTempDirectory("thaw-pruning").resolve("results");
        try (Database pdb = Database.open(Database.fileUrl(results));
             WebServer pserver = Servers.start(pdb, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            StudyRecord s = PruningStudy.create(pdb, Fixture.get(), results);
            String root = "http://127.0.0.1:" + pserver.port();
            String study = "/api/studies/" + PruningStudy.NAME;

            JsonNode view = json(root, study);
            assertEquals(1, view.get("bestTrial").asInt(), "not the pruned 0.99 nor the stopped 0.98");
            assertEquals(0.70, view.get("study").get("best").asDouble());
            assertEquals(3, view.get("study").get("finished").asInt(), "COMPLETE, PRUNED and STOPPED have finished; "
                    + "the paused trial and the baseline are not counted");
            assertEquals(1, json(root, study + "/best").get("trial").get("number").asInt());

            assertEquals(List.of(4), numbers(json(root, study + "/trials?state=PAUSED")));
            assertEquals(List.of(3), numbers(json(root, study + "/trials?state=STOPPED")));
            assertEquals(List.of(2, 3), numbers(json(root, study + "/trials?state=pruned,stopped&sort=number")));
            Map<Integer, JsonNode> rows = new java.util.HashMap<>();
            rows(json(root, study + "/trials")).forEach(r -> rows.put(r.get("number").asInt(), r));
            assertEquals(PruningStudy.PRUNED_REASON, rows.get(2).get("reason").asText());
            assertEquals(PruningStudy.MARKUP, rows.get(3).get("reason").asText(), "markup is data: the same text");
            assertEquals(PruningStudy.SECOND_PAUSE, rows.get(4).get("reason").asText());
            assertEquals(1, rows.get(1).get("rank").asInt());
            for (int unranked : List.of(2, 3, 4, 5)) {
                assertTrue(rows.get(unranked).get("rank").isNull(), rows.get(unranked).toString());
            }

            JsonNode charts = json(root, study + "/charts");
            List<Integer> drawn = new ArrayList<>();
            charts.get("bestSoFar").forEach(b -> drawn.add(b.get("number").asInt()));
            charts.get("points").forEach(b -> drawn.add(b.get("number").asInt()));
            assertEquals(List.of(1, 1), drawn, "best so far and points draw the COMPLETE search trial only");

            HttpResponse<String> raw = http.send(HttpRequest.newBuilder(URI.create(root + study + "/intermediate"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, raw.statusCode(), raw.body());
            assertTrue(raw.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                    raw.headers().map().toString());
            JsonNode curves = JSON.readTree(raw.body()).get("trials");
            List<String> lines = new ArrayList<>();
            curves.forEach(c -> lines.add(c.get("number").asInt() + ":" + c.get("state").asText()));
            assertEquals(List.of("1:COMPLETE", "2:PRUNED", "3:STOPPED", "4:PAUSED"), lines,
                    "no line for the baseline, the queued trial, or epochs without a known objective");
            for (JsonNode c : curves) {
                List<Double> values = new ArrayList<>();
                c.get("points").forEach(p -> {
                    assertEquals(values.size() + 1, p.get("epoch").asInt());
                    values.add(p.get("value").asDouble());
                });
                assertEquals(PruningStudy.OBJECTIVE.get(c.get("number").asInt()), values, c.toString());
            }
            assertEquals(PruningStudy.MARKUP, curves.get(2).get("reason").asText());
            assertEquals(PruningStudy.SECOND_PAUSE, curves.get(3).get("reason").asText());
            assertTrue(curves.get(0).get("reason").isNull());

            JsonNode paused = json(root, study + "/trials/4");
            assertEquals("PAUSED", paused.get("trial").get("state").asText());
            assertEquals(PruningStudy.SECOND_PAUSE, paused.get("trial").get("reason").asText());
            assertEquals(4, paused.get("epochs").size(), "the epochs before and after its thaw");
            JsonNode pauses = paused.get("pauses");
            assertEquals(2, pauses.size(), pauses.toString());
            assertEquals(2, pauses.get(0).get("epoch").asInt());
            assertEquals(PruningStudy.FIRST_PAUSE, pauses.get(0).get("reason").asText());
            assertFalse(pauses.get(0).get("thawedAt").isNull(), "the first pause thawed");
            assertEquals(4, pauses.get(1).get("epoch").asInt());
            assertTrue(pauses.get(1).get("thawedAt").isNull(), "the second has not");
            assertEquals(0, json(root, study + "/trials/1").get("pauses").size());
            assertEquals(PruningStudy.MARKUP, json(root, study + "/trials/3").get("trial").get("reason").asText());

            // a paused trial stops at once, and the answer says so
            HttpResponse<String> stopped = http.send(HttpRequest.newBuilder(URI.create(root + study + "/trials/4/stop"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"not worth a thaw\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, stopped.statusCode(), stopped.body());
            assertEquals("trial 4 stopped; it was paused, and its checkpoint is deleted",
                    JSON.readTree(stopped.body()).get("message").asText());
            assertEquals("STOPPED", json(root, study + "/trials/4").get("trial").get("state").asText());

            // RUNNING -> PAUSED moves no count, epoch or time the change mark held before
            TrialStore trials = new TrialStore(pdb.dataSource(), Clock.systemUTC());
            dev.thaw.store.LeaderboardStore leaderboard = new dev.thaw.store.LeaderboardStore(pdb.dataSource());
            var running = trials.list(s.id()).get(6);
            assertEquals(dev.thaw.study.TrialState.RUNNING, running.state());
            String before = leaderboard.mark(s.id());
            String beforeAll = leaderboard.mark();
            trials.pause(running.id(), 1, "set aside", results.resolve("trial-7"));
            assertFalse(before.equals(leaderboard.mark(s.id())), "a pause changes the study's mark");
            assertFalse(beforeAll.equals(leaderboard.mark()), "and the mark of all studies");
        }
    }

    /**
     * Issue 13: the rungs of the chart of intermediate values are those of the study's pruner, read from its stored
     * study file: ASHA with η 2 and 5 epochs compares trials after epochs 1, 2 and 4.
     */
    @Test
    void theChartOfIntermediateValuesHasThePrunersRungs() throws Exception {
        Path results = Files.createTempDirectory("thaw-rungs").resolve("results");
        try (Database pdb = Database.open(Database.fileUrl(results));
             WebServer pserver = Servers.start(pdb, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            PruningStudy.create(pdb, Fixture.get(), results);
            JsonNode plain = json("/api/studies/web-tiny/intermediate");
            assertEquals("none", plain.get("pruner").asText(), "a study without a pruner: no rungs");
            assertEquals(0, plain.get("rungs").size());
            assertEquals(TRIALS, plain.get("trials").size());
            plain.get("trials").forEach(t -> assertEquals(2, t.get("points").size(), t.toString()));
            JsonNode chart = json("http://127.0.0.1:" + pserver.port(), "/api/studies/" + PruningStudy.NAME
                    + "/intermediate");
            assertEquals("asha", chart.get("pruner").asText(), chart.toString());
            assertEquals("[1,2,4]", chart.get("rungs").toString());
            assertEquals(5, chart.get("epochs").asInt());
            assertTrue(chart.get("rungNote").asText().startsWith("ASHA rungs (η=2): epochs 1, 2, 4"),
                    chart.get("rungNote").asText());
        }
    }

    /**
     * Stopping a paused trial ends it at once (no process runs it) and deletes its checkpoint; the answer says so
     * rather than that it will stop at its next batch, which a running trial's answer still says.
     */
    @Test
    void stoppingAPausedTrialSaysItStoppedAtOnce() throws Exception {
        Path results = Files.createTempDirectory("thaw-stop-paused").resolve("results");
        try (Database pdb = Database.open(Database.fileUrl(results));
             WebServer pserver = Servers.start(pdb, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            PruningStudy.create(pdb, Fixture.get(), results);
            Path checkpoint = Files.createDirectories(results.resolve(PruningStudy.NAME + "/checkpoints/trial-4/epoch-4"));
            String trials = "http://127.0.0.1:" + pserver.port() + "/api/studies/" + PruningStudy.NAME + "/trials/";

            HttpResponse<String> paused = http.send(HttpRequest.newBuilder(URI.create(trials + "4/stop"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"not worth a thaw\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, paused.statusCode(), paused.body());
            assertEquals("trial 4 stopped; it was paused, and its checkpoint is deleted",
                    JSON.readTree(paused.body()).get("message").asText());
            assertEquals("STOPPED", json("http://127.0.0.1:" + pserver.port(), "/api/studies/" + PruningStudy.NAME
                    + "/trials/4").get("trial").get("state").asText());
            assertFalse(Files.exists(checkpoint.getParent()), "its checkpoint is deleted");

            HttpResponse<String> running = http.send(HttpRequest.newBuilder(URI.create(trials + "7/stop"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"enough\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, running.statusCode(), running.body());
            assertEquals("trial 7 asked to stop at its next batch", JSON.readTree(running.body()).get("message").asText());
        }
    }

    /**
     * A parameter inactive in a trial (its condition did not hold) is absent from its params, sorts last in both
     * orders, filters out, and is left out of the export; the first trial lacking it does not hide it.
     */
    @Test
    void aParameterInactiveInATrialIsAbsentAndSortsLast() throws Exception {
        Path results = Files.createTempDirectory("thaw-conditional").resolve("results");
        try (Database cdb = Database.open(Database.fileUrl(results));
             WebServer cserver = Servers.start(cdb, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            ConditionalStudy.create(cdb, Fixture.get(), results);
            String root = "http://127.0.0.1:" + cserver.port();
            String trials = "/api/studies/" + ConditionalStudy.NAME + "/trials";
            assertEquals(List.of(2, 3, 1), numbers(json(root, trials + "?sort=momentum&order=asc")));
            assertEquals(List.of(3, 2, 1), numbers(json(root, trials + "?sort=momentum&order=desc")));
            assertEquals(List.of(3, 2, 1), numbers(json(root, trials + "?sort=head_units&order=desc")));
            assertEquals(List.of(3), numbers(json(root, trials + "?param=momentum&min=0.6")));
            assertEquals(List.of(2), numbers(json(root, trials + "?param=head_units&value=8")));
            JsonNode first = rows(json(root, trials + "?sort=number")).get(0);
            assertEquals(1, first.get("number").asInt());
            assertFalse(first.get("params").has("momentum") || first.get("params").has("head_units"), first.toString());
            JsonNode detail = json(root, trials + "/1").get("trial").get("assignment").get("values");
            assertFalse(detail.has("momentum"), detail.toString());

            List<String> names = new ArrayList<>();
            json(root, "/api/studies/" + ConditionalStudy.NAME).get("parameters").forEach(p -> names.add(
                    p.get("name").asText()));
            assertTrue(names.containsAll(List.of("momentum", "head_units")), names.toString());
            JsonNode charts = json(root, "/api/studies/" + ConditionalStudy.NAME + "/charts");
            assertEquals(3, charts.get("points").size());
            assertFalse(charts.get("points").get(0).get("params").has("momentum"));

            HttpResponse<String> export = http.send(HttpRequest.newBuilder(URI.create(root + "/api/studies/"
                    + ConditionalStudy.NAME + "/export")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, export.statusCode(), export.body());
            assertFalse(export.body().contains("momentum") || export.body().contains("head_units"), export.body());
        }
    }

    /**
     * A parameter of the study's space that no trial holds yet (its condition has not held so far) is a column of the
     * page like any other: sorting by it or filtering on it answers as for a parameter inactive in every trial, where
     * it was a 400 that called it "not a parameter of this study".
     */
    @Test
    void aParameterNoTrialHoldsYetSortsAndFiltersAsInactive() throws Exception {
        Path results = Files.createTempDirectory("thaw-conditional-early").resolve("results");
        try (Database cdb = Database.open(Database.fileUrl(results));
             WebServer cserver = Servers.start(cdb, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            ConditionalStudy.create(cdb, Fixture.get(), results, 1);
            String root = "http://127.0.0.1:" + cserver.port();
            String study = "/api/studies/" + ConditionalStudy.NAME;
            List<String> columns = new ArrayList<>();
            json(root, study).get("parameters").forEach(p -> columns.add(p.get("name").asText()));
            assertTrue(columns.containsAll(List.of("momentum", "head_units")), columns.toString());
            assertEquals(List.of(1), numbers(json(root, study + "/trials?sort=momentum&order=asc")));
            assertEquals(List.of(1), numbers(json(root, study + "/trials?sort=head_units&order=desc")));
            JsonNode none = json(root, study + "/trials?param=momentum&min=0.6");
            assertEquals(0, none.get("total").asInt());
            assertEquals(0, json(root, study + "/trials?param=head_units&value=8").get("total").asInt());
            HttpResponse<String> bogus = http.send(HttpRequest.newBuilder(URI.create(root + study
                    + "/trials?sort=epsilon")).build(), HttpResponse.BodyHandlers.ofString());
            assertError(400, bogus, "nor a parameter of this study (batch_size, dropout, head_layers, head_units, "
                    + "learning_rate, momentum, optimizer, unfreeze_depth)");
        }
    }

    private static List<Integer> numbers(JsonNode page) {
        return rows(page).stream().map(r -> r.get("number").asInt()).toList();
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
        assertEquals(0, json("/api/studies/web-tiny/trials?state=PAUSED,STOPPED").get("total").asInt());
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

    /**
     * Issue 11, case 4: a server on every address answers only to this machine's names and addresses and to
     * --allowed-host names, never to another site's name (DNS rebinding); its downloads need its token, as its stops do.
     */
    @Test
    void aServerOnEveryAddressRefusesOtherHostNamesAndGuardsItsDownloads() throws Exception {
        try (WebServer open = Servers.start(db, new WebOptions("0.0.0.0", 0, Optional.empty(),
                List.of("thaw.example")))) {
            int port = open.port();
            String token = open.token().orElseThrow();
            String local = "127.0.0.1:" + port;
            for (String path : List.of("/api/studies", "/api/studies/web-tiny/export", "/api/studies/web-tiny/model",
                    "/")) {
                Raw r = rawGet(port, path, "evil.example:" + port, "X-Thaw-Token: " + token);
                assertEquals(403, r.status(), path + ": " + r.body());
                assertFalse(r.body().contains("web-tiny") || r.body().contains("PK"), r.body());
            }
            for (String host : List.of(local, "localhost:" + port, "thaw.example",
                    InetAddress.getLocalHost().getHostName() + ":" + port)) {
                assertEquals(200, rawGet(port, "/api/studies", host).status(), host);
            }
            for (String path : List.of("/api/studies/web-tiny/export", "/api/studies/web-tiny/model")) {
                Raw without = rawGet(port, path, local);
                assertEquals(401, without.status(), path);
                assertTrue(without.body().contains("needs its token"), without.body());
                Raw head = raw(port, "HEAD " + path + " HTTP/1.1\r\nHost: " + local + "\r\nConnection: close\r\n\r\n");
                assertFalse(head.headers().containsKey("content-disposition"), "HEAD runs no download: " + head);
                assertEquals(401, rawGet(port, path, local, "X-Thaw-Token: wrong-token-0123456789").status(), path);
                assertEquals(200, rawGet(port, path, local, "X-Thaw-Token: " + token).status(), path);
                assertEquals(200, rawGet(port, path, local, "Authorization: Bearer " + token).status(), path);
            }
        }
    }

    /** Issue 11, case 4, on a real second interface when this machine has one: its address yes, other names no. */
    @Test
    void aServerOnOneOfTheMachinesAddressesAnswersToItOnly() throws Exception {
        Optional<InetAddress> address = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
                .stream().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                }).flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address).findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(address.isPresent(), "this machine has no address but loopback");
        String ip = address.get().getHostAddress();
        try (WebServer one = Servers.start(db, new WebOptions(ip, 0, Optional.empty()))) {
            int port = one.port();
            assertEquals("http://" + ip + ":" + port + "/#token=" + one.token().orElseThrow(), one.url());
            assertEquals(200, rawGet(ip, port, "/api/studies", ip + ":" + port).status());
            assertEquals(403, rawGet(ip, port, "/api/studies", "evil.example:" + port).status());
            assertEquals(403, rawGet(ip, port, "/api/studies/web-tiny/export", "evil.example",
                    "X-Thaw-Token: " + one.token().get()).status());
            assertEquals(401, rawGet(ip, port, "/api/studies/web-tiny/export", ip + ":" + port).status());
        }
    }

    /**
     * Issue 11, case 5: a server on another loopback address answers at the address it prints and to localhost,
     * and, like every loopback server, needs a token only when given one.
     */
    @Test
    void aServerOnAnotherLoopbackAddressAnswersWhereItSays() throws Exception {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        try (WebServer other = Servers.start(db, new WebOptions("127.0.0.2", 0, Optional.empty()))) {
            int port = other.port();
            assertEquals("http://127.0.0.2:" + port + "/", other.url());
            assertTrue(other.token().isEmpty(), "a loopback server has a token only when given one");
            for (String path : List.of("", "api/studies", "api/studies/web-tiny/export")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(other.url() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path + ": " + r.body());
            }
            HttpResponse<String> stop = http.send(HttpRequest.newBuilder(URI.create(other.url()
                    + "api/studies/web-tiny/trials/1/stop")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"x\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(409, stop, "already ended");
            assertEquals(200, rawGet("127.0.0.2", port, "/api/studies", "localhost:" + port).status());
            assertEquals(403, rawGet("127.0.0.2", port, "/api/studies", "evil.example:" + port).status());
        }
        String token = "given-token-0123456789";
        try (WebServer given = Servers.start(db, new WebOptions("127.0.0.2", 0, Optional.of(token)))) {
            String at = "127.0.0.2:" + given.port();
            assertEquals(401, rawGet("127.0.0.2", given.port(), "/api/studies/web-tiny/export", at).status());
            assertEquals(200, rawGet("127.0.0.2", given.port(), "/api/studies/web-tiny/export", at,
                    "X-Thaw-Token: " + token).status());
            Raw stop = raw("127.0.0.2", given.port(), "POST /api/studies/web-tiny/stop HTTP/1.1\r\nHost: " + at
                    + "\r\nContent-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n"
                    + "{\"reason\": \"x\"}");
            assertEquals(401, stop.status(), stop.body());
        }
        WebServer six;
        try {
            six = Servers.start(db, new WebOptions("::1", 0, Optional.empty()));
        } catch (WebServerException e) {
            return; // no IPv6 loopback on this machine
        }
        try (six) {
            assertEquals("http://[::1]:" + six.port() + "/", six.url());
            assertEquals(200, rawGet("::1", six.port(), "/api/studies", "[::1]:" + six.port()).status());
            assertEquals(403, rawGet("::1", six.port(), "/api/studies", "evil.example").status());
        }
    }

    /** Issue 11, case 7: a stop reason cannot rewrite the operator's terminal, nor be longer than 500 characters. */
    @Test
    void stopReasonsWithControlOrBidiCharactersAreRefused() throws Exception {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        for (String path : List.of("/api/studies/web-tiny/trials/1/stop", "/api/studies/web-tiny/stop")) {
            assertError(400, post(path, "{\"reason\": \"\\u001b[2J\\u001b]0;title\\u0007\\u001b[31mfake: study "
                    + "complete\"}", json), "bidirectional formatting or unpaired surrogate characters (U+001B at character 1)");
            assertError(400, post(path, "{\"reason\": \"ok \\u202edone\"}", json), "U+202E");
            assertError(400, post(path, "{\"reason\": \"ok \\u2066done\"}", json), "U+2066");
            assertError(400, post(path, "{\"reason\": \"line\\nbreak\"}", json), "U+000A");
            assertError(400, post(path, "{\"reason\": \"next \\u0085line\"}", json), "U+0085");
            assertError(400, post(path, "{\"reason\": \"" + "x".repeat(501) + "\"}", json), "at most 500");
        }
        assertError(409, post("/api/studies/web-tiny/trials/1/stop", "{\"reason\": \"" + "x".repeat(500) + "\"}",
                json), "already ended");
        assertError(409, post("/api/studies/web-tiny/stop", "{\"reason\": \"plain, caf\u00e9 \u2014 fine\"}", json),
                "not running");
    }

    /** Issue 11, case 8: numbers beyond a double's range are a 400 naming the parameter; large ones just match nothing. */
    @Test
    void numbersBeyondADoubleAreABadRequestNamingTheParameter() throws Exception {
        for (String bad : List.of("Infinity", "-Infinity", "NaN", "1e400")) {
            assertError(400, get("/api/studies/web-tiny/trials?param=batch_size&value=" + bad),
                    "value of parameter 'batch_size' must be a finite number");
            assertError(400, get("/api/studies/web-tiny/trials?param=dropout&min=" + bad),
                    "min of parameter 'dropout' must be a finite number");
            assertError(400, get("/api/studies/web-tiny/trials?param=dropout&max=" + bad),
                    "max of parameter 'dropout' must be a finite number");
        }
        assertError(400, get("/api/studies/web-tiny/trials?param=dropout&min=low"), "min of parameter 'dropout'");
        for (String big : List.of("1e10", "1e308", "-1e308", "3000000000")) {
            assertEquals(0, json("/api/studies/web-tiny/trials?param=batch_size&value=" + big).get("total").asInt(),
                    big);
        }
        assertEquals(TRIALS, json("/api/studies/web-tiny/trials?param=dropout&min=-1e308&max=1e308").get("total")
                .asInt());
    }

    /** Issue 11, case 8: an unexpected failure is logged, and the answer says only that it happened. */
    @Test
    void anInternalErrorIsLoggedAndAnsweredWithoutItsText() throws Exception {
        Database closing = Database.open(Database.fileUrl(Files.createTempDirectory("thaw-closing")));
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                WebServer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (WebServer broken = Servers.start(closing, new WebOptions("127.0.0.1", 0, Optional.empty()))) {
            closing.close(); // the database goes away under the server
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broken.port()
                    + "/api/studies")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode(), r.body());
            assertEquals("{\"status\":500,\"message\":\"internal error; see the server's log\"}", r.body());
            assertTrue(log.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR
                    && e.getFormattedMessage().startsWith("internal error answering GET /api/studies: ")
                    && e.getFormattedMessage().length() > "internal error answering GET /api/studies: ".length()),
                    log.list.toString());
        } finally {
            logger.detachAppender(log);
        }
    }

    /**
     * Issue 11, case 9: the errors Jetty answers itself (an ambiguous path, a path too long, headers too large) carry
     * the same security headers as every other response.
     */
    @Test
    void jettysOwnErrorsCarryTheSecurityHeaders() throws Exception {
        int port = server.port();
        Map<Integer, Raw> answers = new java.util.LinkedHashMap<>();
        answers.put(400, rawGet(port, "/%2e%2e/x", "127.0.0.1"));
        answers.put(414, rawGet(port, "/" + "a".repeat(9000), "127.0.0.1"));
        answers.put(431, rawGet(port, "/", "127.0.0.1", "X-Big: " + "b".repeat(20_000)));
        for (Map.Entry<Integer, Raw> a : answers.entrySet()) {
            Raw r = a.getValue();
            assertEquals(a.getKey(), r.status(), r.headers() + r.body());
            Guard.HEADERS.forEach((name, value) -> assertEquals(value, r.headers().get(name.toLowerCase(
                    java.util.Locale.ROOT)), a.getKey() + ": " + name + " in " + r.headers()));
        }
    }

    /** Issue 11, case 10: the event stream of an unknown study is a real 404, so that no browser reconnects forever. */
    @Test
    void theEventStreamOfAnUnknownStudyIsNotFound() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/studies/nope/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertError(404, r, "no study 'nope'");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                r.headers().map().toString());
    }
}
