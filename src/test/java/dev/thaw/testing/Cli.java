package dev.thaw.testing;

import dev.thaw.cli.ThawCli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line in-process and keeps what it printed. */
public record Cli(int exit, String out, String err) {
    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ThawCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(exit, out.toString(), err.toString());
    }

    /**
     * {@code thaw run STUDY}, checked: it exits 0 and study {@code name} in {@code results} holds {@code trials} trials,
     * all COMPLETE.
     */
    public static java.util.List<dev.thaw.store.TrialRecord> runAllComplete(java.nio.file.Path study,
                                                                             java.nio.file.Path results, String name,
                                                                             int trials) {
        Cli run = run("run", study.toString());
        org.junit.jupiter.api.Assertions.assertEquals(0, run.exit(), run.toString());
        java.util.List<dev.thaw.store.TrialRecord> all = new StudyDb(dev.thaw.store.Database.fileUrl(results)).trials(name);
        org.junit.jupiter.api.Assertions.assertEquals(trials, all.size());
        all.forEach(t -> org.junit.jupiter.api.Assertions.assertEquals(dev.thaw.study.TrialState.COMPLETE, t.state(),
                t.toString()));
        return all;
    }

    /**
     * The command suggested in {@code text} right after {@code marker} (e.g. {@code "stop it with: "}), as printed: up
     * to the end of its line or the first {@code ;} or {@code (} outside quotes (see {@code SuggestedCommand}).
     */
    public static String printed(String text, String marker) {
        int at = text.indexOf(marker);
        org.junit.jupiter.api.Assertions.assertTrue(at >= 0, "no '" + marker + "' in:\n" + text);
        int from = at + marker.length();
        char quote = 0;
        int i = from;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ';' || c == '(' || c == '\n' || c == '\r') {
                break;
            }
        }
        return text.substring(from, i).strip();
    }

    /** The words a POSIX shell (bash) makes of {@code command}: the program, then its arguments. */
    public static java.util.List<String> words(String command) {
        try {
            Process shell = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + command).redirectErrorStream(true)
                    .start();
            String out = new String(shell.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            org.junit.jupiter.api.Assertions.assertEquals(0, shell.waitFor(), "bash cannot read: " + command + "\n" + out);
            return java.util.List.of(out.split("\0"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The arguments of a printed {@code thaw} command, checked to start with the program the README names. */
    public static String[] printedArgs(String command) {
        java.util.List<String> words = words(command);
        org.junit.jupiter.api.Assertions.assertEquals(dev.thaw.study.SuggestedCommand.DEFAULT_PROGRAM, words.get(0),
                command);
        return words.subList(1, words.size()).toArray(String[]::new);
    }

    /** Runs a command exactly as a message printed it, through the shell's reading of it. */
    public static Cli runPrinted(String command) {
        return run(printedArgs(command));
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
