package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.testing.ChildThaw;
import dev.thaw.testing.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, cases 5 and 6: where {@code thaw serve} takes its token from (THAW_TOKEN, a file only its owner reads, or
 * {@code --token} with a warning), and its help and the README stating one rule for when a server has a token.
 */
class ServeTokenTest {
    private static final String TOKEN = "file-or-env-token-0123456789";
    private static Path dir;
    private static Path results;

    @BeforeAll
    static void aDatabase() throws Exception {
        dir = Files.createTempDirectory("thaw-serve-token");
        results = dir.resolve("results");
        Database.open(Database.fileUrl(results)).close();
    }

    private static Path tokenFile(String name, String text, String mode) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    /** Serves with {@code environment} and these options; checks the server printed and needs {@link #TOKEN}. */
    private static void servesWithTheToken(String log, Map<String, String> environment, String... options)
            throws Exception {
        String[] args = new String[options.length + 5];
        System.arraycopy(new String[]{"serve", "--port", "0", "--results", results.toString()}, 0, args, 0, 5);
        System.arraycopy(options, 0, args, 5, options.length);
        try (ChildThaw serve = ChildThaw.start(dir.resolve(log), environment, args)) {
            String url = serve.awaitLine("leaderboard: ").substring("leaderboard: ".length());
            assertTrue(url.endsWith("/#token=" + TOKEN), url);
            assertEquals("stop actions and downloads need the token " + TOKEN
                    + " (the address above carries it to the page)", serve.awaitLine("stop actions"));
            assertTrue(!serve.output().contains("warning"), serve.output());
            String export = url.substring(0, url.indexOf('#')) + "api/studies/nope/export";
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(export)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(export)).header("X-Thaw-Token", TOKEN)
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "the token passes; no such study");
        }
    }

    @Test
    void theTokenComesFromTheEnvironment() throws Exception {
        servesWithTheToken("env.log", Map.of("THAW_TOKEN", TOKEN));
    }

    @Test
    void theTokenComesFromAFileOnlyItsOwnerReads() throws Exception {
        servesWithTheToken("file.log", Map.of("THAW_TOKEN", "the-file-wins-over-this-0123"), "--token-file",
                tokenFile("token", TOKEN + "\n", "rw-------").toString());
    }

    @Test
    void aTokenFileOthersCanReadOrThatIsMissingOrEmptyIsRefused() throws Exception {
        Map<String, String> refused = Map.of(
                tokenFile("open", TOKEN, "rw-r--r--").toString(), "is open to other users (mode rw-r--r--); run chmod 600 ",
                tokenFile("group", TOKEN, "r--r-----").toString(), "is open to other users (mode r--r-----)",
                dir.resolve("missing").toString(), "does not exist",
                tokenFile("empty", "\n", "rw-------").toString(), "is empty");
        for (Map.Entry<String, String> r : refused.entrySet()) {
            Cli serve = Cli.run("serve", "--token-file", r.getKey(), "--results", results.toString());
            assertEquals(2, serve.exit(), serve.toString());
            assertTrue(serve.err().startsWith("error: token file " + r.getKey() + " " + r.getValue()), serve.toString());
            assertEquals(1, serve.err().lines().count(), serve.toString());
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // private to another user, who could read it or put their own token in it
            Path theirs = tokenFile("theirs", TOKEN, "rw-------");
            java.nio.file.Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("nobody"));
            Cli serve = Cli.run("serve", "--token-file", theirs.toString(), "--results", results.toString());
            assertEquals(2, serve.exit(), serve.toString());
            assertTrue(serve.err().startsWith("error: token file " + theirs + " belongs to nobody, not to you"),
                    serve.toString());
        }
        Cli both = Cli.run("serve", "--token", TOKEN, "--token-file", results.toString(), "--results",
                results.toString());
        assertEquals(2, both.exit(), both.toString());
        assertTrue(both.err().contains("give the token once"), both.toString());
    }

    @Test
    void aTokenOnTheCommandLineIsWarnedAbout() {
        Cli serve = Cli.run("serve", "--token", TOKEN, "--results", dir.resolve("no-database").toString());
        assertEquals(2, serve.exit(), serve.toString());
        String warning = serve.err().lines().findFirst().orElse("");
        assertTrue(warning.startsWith("warning: ") && warning.contains("THAW_TOKEN") && warning.contains("--token-file"),
                serve.toString());
        assertTrue(serve.err().contains("no study database"), "the token was taken: " + serve);
        Cli bad = Cli.run("serve", "--token", "has spaces in it, 0123456789", "--results", results.toString());
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("only letters, digits, '-' and '_'"), bad.toString());
    }

    @Test
    void helpAndReadmeStateTheSameTokenRule() throws Exception {
        Cli help = Cli.run("serve", "--help");
        String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
        assertTrue(help.out().replaceAll("\\s+", " ").contains(WebOptionsMixin.TOKEN_RULE), help.out());
        assertTrue(readme.contains(WebOptionsMixin.TOKEN_RULE), "README.md states: " + WebOptionsMixin.TOKEN_RULE);
    }
}
