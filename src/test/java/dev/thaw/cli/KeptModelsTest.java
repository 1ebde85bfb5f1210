package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.KeptFile;
import dev.thaw.store.TrialStore;
import dev.thaw.testing.ChildThaw;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kept model is recorded by absolute path, and {@code thaw export} and the web server hand out only a regular file
 * inside the study's models folder (real paths), from any working directory; a relative or outside path in the
 * database, or a symbolic link in the folder, is refused with its reason (issue 11, case 11).
 */
class KeptModelsTest {
    private static final Pattern LEADERBOARD = Pattern.compile("leaderboard: (http://\\S+/)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static void setModelRow(Path results, String path) throws Exception {
        try (Database db = Database.open(Database.fileUrl(results));
             Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE artifact SET path = ? WHERE kind = 'model'")) {
            s.setString(1, path);
            assertEquals(1, s.executeUpdate());
        }
    }

    private HttpResponse<byte[]> model(String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "api/studies/kept/model")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The model is refused by the web server (404, saying why) and by {@code export} (not copied, saying why). */
    private void assertRefused(String base, Path results, String why) throws Exception {
        HttpResponse<byte[]> served = model(base);
        String body = new String(served.body(), StandardCharsets.UTF_8);
        assertEquals(404, served.statusCode(), body);
        assertTrue(body.contains("is refused: ") && body.contains(why), body);
        Path out = Files.createTempDirectory(dir, "export").resolve("best.yaml");
        Cli export = Cli.run("export", "kept", "--out", out.toString(), "--results", results.toString());
        assertEquals(0, export.exit(), export.toString());
        assertTrue(export.out().contains("model: not copied, refused: ") && export.out().contains(why), export.out());
        assertFalse(Files.exists(out.resolveSibling("best-model.zip")), export.out());
    }

    private static String awaitUrl(ChildThaw serve) throws Exception {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(giveUp) && serve.alive()) {
            Matcher m = LEADERBOARD.matcher(serve.output());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("thaw serve did not say where it listens:\n" + serve.output());
    }

    @Test
    void onlyARegularFileInTheStudysModelsFolderIsServedOrCopiedFromAnyFolder() throws Exception {
        Fixture f = Fixture.get();
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Files.writeString(runDir.resolve("kept.yaml"), StudyFiles.tiny("kept", f.data, f.sourceModel,
                Path.of("results"), 1, 1)); // output.dir relative to the run's working directory
        try (ChildThaw run = ChildThaw.startIn(runDir, dir.resolve("run.log"), "run", "kept.yaml")) {
            assertEquals(0, run.waitFor(600), run.output());
        }
        Path results = runDir.resolve("results");
        Path model = results.resolve("kept").resolve("models").resolve("trial-1.zip");
        byte[] bytes = Files.readAllBytes(model);
        long trial = new StudyDb(Database.fileUrl(results)).trials("kept").get(0).id();
        try (Database db = Database.open(Database.fileUrl(results))) {
            KeptFile kept = new TrialStore(db.dataSource(), Clock.systemUTC()).keptFile(trial, "model").orElseThrow();
            assertEquals(model.toString(), kept.recorded(), "recorded absolute");
        }

        // export from this JVM's working directory, which is not the run's
        Path out = dir.resolve("export").resolve("best.yaml");
        Cli export = Cli.run("export", "kept", "--out", out.toString(), "--results", results.toString());
        assertEquals(0, export.exit(), export.toString());
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("export").resolve("best-model.zip")));

        // serve from a folder holding a planted file where the model's path, taken relative, would lead
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path plantedHere = elsewhere.resolve("results/kept/models/trial-1.zip");
        Files.createDirectories(plantedHere.getParent());
        Files.writeString(plantedHere, "planted where a relative path would lead");
        Path outside = Files.createDirectories(dir.resolve("outside")).resolve("secret.zip");
        Files.writeString(outside, "a file outside the study's folder");
        try (ChildThaw serve = ChildThaw.startIn(elsewhere, dir.resolve("serve.log"), "serve", "--results",
                results.toString(), "--port", "0")) {
            String base = awaitUrl(serve);
            HttpResponse<byte[]> served = model(base);
            assertEquals(200, served.statusCode());
            assertArrayEquals(bytes, served.body(), "the model itself, from another working directory");

            setModelRow(results, "results/kept/models/trial-1.zip");
            assertRefused(base, results, "is a relative path");
            setModelRow(results, outside.toString());
            assertRefused(base, results, outside + " is outside the study's models folder " + model.getParent());
            setModelRow(results, results.resolve("thaw.mv.db").toString());
            assertRefused(base, results, "thaw.mv.db is outside the study's models folder");
            setModelRow(results, model.getParent().resolve("../../../../outside/secret.zip").toString());
            assertRefused(base, results, "is outside the study's models folder");

            setModelRow(results, model.toString());
            Files.move(model, model.resolveSibling("moved.zip"));
            Files.createSymbolicLink(model, outside);
            assertRefused(base, results, model + " is not a regular file (a symbolic link or a folder)");

            Files.delete(model);
            Files.move(model.resolveSibling("moved.zip"), model);
            served = model(base);
            assertEquals(200, served.statusCode());
            assertArrayEquals(bytes, served.body());
        }
    }
}
