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

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
