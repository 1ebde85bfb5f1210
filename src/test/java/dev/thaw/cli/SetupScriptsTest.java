package dev.thaw.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The set-up the demo does on a bare machine, through the real scripts in bash: {@code scripts/fashion-mnist}
 * downloading from a local HTTP server (Debian's copy of Fashion-MNIST, or damaged files) with curl, and the
 * one-line errors of {@code scripts/thaw} on a machine without Java 17 or Maven (a PATH of stand-ins).
 */
class SetupScriptsTest {
    private static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    private static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    /** Served as the file's first half under a header announcing all of it, then the connection closes. */
    private static final String CUT = "cut";

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final Map<String, String> faults = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private record Run(int exit, String out, String err) {
        List<String> errorLines() {
            return err.lines().filter(l -> l.startsWith("error:")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            requests.add(name);
            byte[] body = served.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                boolean cut = CUT.equals(faults.get(name));
                exchange.sendResponseHeaders(200, body.length);
                OutputStream out = exchange.getResponseBody();
                out.write(body, 0, cut ? body.length / 2 : body.length);
                out.flush();
                if (cut) {
                    throw new IOException("cut short"); // the server closes the connection
                }
                out.close();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void serveDebiansCopy() throws IOException {
        assumeTrue(Files.isRegularFile(DEBIAN.resolve(FILES.get(0))), "dataset-fashion-mnist not installed");
        for (String f : FILES) {
            served.put(f, Files.readAllBytes(DEBIAN.resolve(f)));
        }
    }

    /** {@code bash SCRIPT ARGS...} from the project folder, with {@code env} added to this process's environment. */
    private Run bash(Map<String, String> env, Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/bash", script.toString()));
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish in 120 s:\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run fetch(Path into) throws Exception {
        return bash(Map.of("THAW_FASHION_MNIST_URL", url()), Path.of("scripts/fashion-mnist"), into.toString());
    }

    private static List<String> listing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsTheFourFilesVerifiedThenKeepsThem() throws Exception {
        serveDebiansCopy();
        Path into = dir.resolve("data/fashion-mnist");
        Run first = fetch(into);
        assertEquals(0, first.exit(), first.toString());
        assertEquals(into + "\n", first.out(), "stdout is the folder alone");
        assertEquals(FILES.stream().sorted().toList(), listing(into), "no .part file is left");
        for (String f : FILES) {
            assertArrayEquals(served.get(f), Files.readAllBytes(into.resolve(f)), f);
        }
        assertEquals(FILES, requests);

        Run again = fetch(into);
        assertEquals(0, again.exit(), again.toString());
        assertEquals(4, again.err().split("already there, checksum ok", -1).length - 1, again.err());
        assertEquals(4, requests.size(), "files there and verified are not downloaded again");
    }

    @Test
    void aDamagedDownloadIsDeletedAndReportedInOneLineAndTheNextRunFetchesOnlyIt() throws Exception {
        serveDebiansCopy();
        byte[] good = served.get("t10k-labels-idx1-ubyte.gz");
        byte[] damaged = good.clone();
        damaged[good.length / 2] ^= 1;
        served.put("t10k-labels-idx1-ubyte.gz", damaged);
        Path into = dir.resolve("fm");
        Run bad = fetch(into);
        assertEquals(1, bad.exit(), bad.toString());
        assertEquals(1, bad.errorLines().size(), bad.toString());
        String error = bad.errorLines().get(0);
        assertTrue(error.contains(url() + "t10k-labels-idx1-ubyte.gz") && error.contains("bb300cfdad3c16e7a12a480ee83cd310")
                && error.contains("deleted") && error.contains("try again"), error);
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
                listing(into), "the damaged file is gone, its .part too; the verified ones stay");

        served.put("t10k-labels-idx1-ubyte.gz", good);
        requests.clear();
        Run fixed = fetch(into);
        assertEquals(0, fixed.exit(), fixed.toString());
        assertEquals(List.of("t10k-labels-idx1-ubyte.gz"), requests);
        assertEquals(FILES.stream().sorted().toList(), listing(into));
    }

    @Test
    void aCutDownloadIsDeletedAndReported() throws Exception {
        served.put(FILES.get(0), new byte[100_000]);
        faults.put(FILES.get(0), CUT);
        Path into = dir.resolve("fm");
        Run cut = fetch(into);
        assertEquals(1, cut.exit(), cut.toString());
        assertEquals(1, cut.errorLines().size(), cut.toString());
        assertTrue(cut.errorLines().get(0).startsWith("error: could not download " + url() + FILES.get(0)),
                cut.toString());
        assertEquals(List.of(), listing(into));
    }

    @Test
    void aWholeFileWithTheWrongChecksumIsDeletedAndReported() throws Exception {
        served.put(FILES.get(0), "not Fashion-MNIST".getBytes(StandardCharsets.UTF_8));
        Path into = dir.resolve("fm");
        Run wrong = fetch(into);
        assertEquals(1, wrong.exit(), wrong.toString());
        assertTrue(wrong.errorLines().get(0).contains("gave a bad or partial file")
                && wrong.errorLines().get(0).contains("8d4fb7e6c68d591d4c3dfef9ec88bf0d"), wrong.toString());
        assertEquals(List.of(), listing(into));
    }

    @Test
    void aFileMissingOnTheServerIsReportedWithTheAddress() throws Exception {
        Run missing = fetch(dir.resolve("fm"));
        assertEquals(1, missing.exit(), missing.toString());
        assertEquals(1, missing.errorLines().size(), missing.toString());
        assertTrue(missing.errorLines().get(0).contains(url() + FILES.get(0))
                && missing.errorLines().get(0).contains("THAW_FASHION_MNIST_URL"), missing.toString());
        assertEquals(List.of(), listing(dir.resolve("fm")));
    }

    @Test
    void aFileThatIsNotFashionMnistIsKeptAndReported() throws Exception {
        Path into = Files.createDirectories(dir.resolve("fm"));
        Files.writeString(into.resolve(FILES.get(0)), "my own file");
        Run run = fetch(into);
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.errorLines().get(0).contains("is not Fashion-MNIST's " + FILES.get(0))
                && run.errorLines().get(0).endsWith("delete it and try again"), run.toString());
        assertEquals("my own file", Files.readString(into.resolve(FILES.get(0))), "never deletes what it did not fetch");
        assertEquals(List.of(), requests);
    }

    @Test
    void debiansCopyIsUsedWhenInstalledWithoutDownloading() throws Exception {
        assumeTrue(Files.isRegularFile(DEBIAN.resolve(FILES.get(0))), "dataset-fashion-mnist not installed");
        Run run = bash(Map.of("THAW_FASHION_MNIST_URL", url()), Path.of("scripts/fashion-mnist"));
        assertEquals(0, run.exit(), run.toString());
        assertEquals(DEBIAN + "\n", run.out());
        assertEquals(List.of(), requests);
    }

    // scripts/thaw on a machine without what it needs: a copy of the launcher under a PATH of stand-ins.

    private int projects;

    /**
     * Runs {@code thaw --version} through a fresh copy of scripts/thaw whose jar is there and newer than the sources
     * when {@code built}, and absent otherwise, with PATH a folder of the basic tools it uses and stand-ins for
     * {@code stubs} (command name to bash body).
     */
    private Run thaw(boolean built, Map<String, String> stubs) throws Exception {
        Path root = dir.resolve("project" + ++projects);
        Files.createDirectories(root.resolve("scripts/lib"));
        Files.copy(Path.of("scripts/thaw"), root.resolve("scripts/thaw"));
        Files.copy(Path.of("scripts/lib/setup.sh"), root.resolve("scripts/lib/setup.sh"));
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        if (built) {
            Files.createDirectories(root.resolve("target"));
            Files.writeString(root.resolve("target/thaw.jar"), "");
            FileTime before = FileTime.from(Instant.now().minusSeconds(3600));
            Files.setLastModifiedTime(root.resolve("pom.xml"), before);
            Files.setLastModifiedTime(root.resolve("src/main"), before);
        }
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String tool : List.of("dirname", "find", "sed", "head", "cut")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
        }
        for (Map.Entry<String, String> stub : stubs.entrySet()) {
            Path file = bin.resolve(stub.getKey());
            Files.writeString(file, "#!/bin/bash\n" + stub.getValue() + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Map<String, String> env = new HashMap<>(Map.of("PATH", bin.toString(), "JAVA_HOME", ""));
        return bash(env, root.resolve("scripts/thaw"), "--version");
    }

    /** A stand-in java that reports {@code version} and otherwise prints its arguments. */
    private static String java(String version) {
        return "[[ $1 == -version ]] && { echo 'openjdk version \"" + version + "\" 2024-01-16' >&2; exit 0; }\n"
                + "echo \"java $*\"";
    }

    private static void failsWithOneLine(Run run, String expected) {
        assertEquals(2, run.exit(), run.toString());
        assertEquals(1, run.err().lines().count(), run.toString());
        assertTrue(run.err().startsWith("error: ") && run.err().contains(expected), run.toString());
    }

    @Test
    void theLauncherNamesThePackageForAMissingOrOldJava() throws Exception {
        failsWithOneLine(thaw(true, Map.of()),
                "java not found; Thaw needs Java 17 or newer: sudo apt-get install openjdk-17-jdk-headless");
        failsWithOneLine(thaw(true, Map.of("java", java("11.0.22"))),
                "is Java 11.0.22; Thaw needs 17 or newer: sudo apt-get install openjdk-17-jdk-headless");
        failsWithOneLine(thaw(true, Map.of("java", java("1.8.0_392"))), "is Java 1.8.0_392; Thaw needs 17 or newer");
    }

    @Test
    void theLauncherNeedsMavenAndAJdkOnlyToBuild() throws Exception {
        Run built = thaw(true, Map.of("java", java("17.0.15")));
        assertEquals(0, built.exit(), built.toString());
        assertTrue(built.out().startsWith("java -Xmx6g -Dthaw.program=") && built.out().contains(" -jar ")
                        && built.out().trim().endsWith("thaw.jar --version"),
                built.toString());

        failsWithOneLine(thaw(false, Map.of("java", java("21.0.2"))),
                "mvn not found; building Thaw needs Maven: sudo apt-get install maven");
        failsWithOneLine(thaw(false, Map.of("java", java("17.0.15"), "mvn", "exit 0")),
                "javac not found; building Thaw needs a JDK, not only a Java runtime: sudo apt-get install "
                        + "openjdk-17-jdk-headless");
    }
}
