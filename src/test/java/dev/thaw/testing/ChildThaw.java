package dev.thaw.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code thaw} command in a child JVM, with its output in a file, that a test can SIGKILL. */
public final class ChildThaw implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildThaw(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code thaw ARGS...} on the test class path; output goes to {@code log}. */
    public static ChildThaw start(Path log, String... args) throws IOException {
        return start(log, java.util.Map.of(), args);
    }

    /** Starts {@code thaw ARGS...} in working directory {@code cwd} (null: this one); output goes to {@code log}. */
    public static ChildThaw startIn(Path cwd, Path log, String... args) throws IOException {
        return start(cwd, log, java.util.Map.of(), args);
    }

    /** Starts {@code thaw ARGS...} with {@code env} added to this process's environment. */
    public static ChildThaw start(Path log, java.util.Map<String, String> env, String... args) throws IOException {
        return start(null, log, env, args);
    }

    private static ChildThaw start(Path cwd, Path log, java.util.Map<String, String> env, String... args)
            throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classpath, "dev.thaw.cli.ThawCli"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd == null ? null : cwd.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        return new ChildThaw(p, log);
    }

    /** Starts a {@code thaw} command exactly as a message printed it (see {@link Cli#printed}). */
    public static ChildThaw startPrinted(Path log, String command) throws IOException {
        return start(log, Cli.printedArgs(command));
    }

    /** As {@link #startPrinted(Path, String)}, with {@code env} added to the environment. */
    public static ChildThaw startPrinted(Path log, java.util.Map<String, String> env, String command)
            throws IOException {
        return start(log, env, Cli.printedArgs(command));
    }

    /**
     * The first line of its output that starts with {@code prefix}, once printed; fails after a minute, or as soon as
     * the process exits without printing it.
     */
    public String awaitLine(String prefix) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < giveUp) {
            java.util.Optional<String> line = output().lines().filter(l -> l.startsWith(prefix)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!alive()) {
                throw new AssertionError("exited early:\n" + output());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line '" + prefix + "':\n" + output());
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to exit and returns its exit code. */
    public int waitFor(long seconds) throws InterruptedException, IOException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("thaw did not finish in " + seconds + " s; its output:\n" + output());
        }
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
