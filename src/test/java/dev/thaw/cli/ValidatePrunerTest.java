package dev.thaw.cli;

import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code thaw validate} says of a study's pruner: its rungs (each bracket's for hyperband) in one line, and a
 * warning where the study's budget keeps the pruner from acting.
 */
class ValidatePrunerTest {
    @TempDir
    Path dir;

    /** The tiny study with {@code trials} × {@code epochs} and {@code pruner} (a block, or "" for none). */
    private String study(String name, int trials, int epochs, String pruner) {
        Fixture f = Fixture.get();
        return StudyFiles.tiny(name, f.data, f.sourceModel, dir.resolve("results"), trials, epochs)
                .replace("space:\n", pruner + "space:\n");
    }

    private SearchSpaceReport report(int trials, int epochs, String pruner) throws Exception {
        StudySpec spec = new StudyFileReader().parse(study("report", trials, epochs, pruner));
        return new SearchSpaceReport(spec);
    }

    @Test
    void validatePrintsThePrunersRungsAndWarnsWhenTooFewTrialsLeaveEveryTrialPaused() throws Exception {
        Path few = Files.writeString(dir.resolve("few.yaml"), study("few", 2, 9, """
                pruner:
                  type: asha
                  min_epochs: 1
                  reduction_factor: 3
                  mode: pause
                """));
        Cli validate = Cli.run("validate", few.toString());
        assertEquals(0, validate.exit(), validate.toString());
        List<String> lines = validate.out().lines().toList();
        assertTrue(lines.get(0).contains("is valid: study 'few', random search over"), validate.out());
        assertEquals("pruner: asha, rungs at epochs 1, 3 (η 3), mode pause", lines.get(1));
        assertEquals("cache: features auto in " + dir.resolve("results/cache") + ", at most 10 GB", lines.get(2));
        assertTrue(lines.get(3).startsWith("images: 2 classes"), validate.out());
        assertEquals(List.of("warning: with 2 trials and reduction_factor 3 no trial is promoted past the first rung "
                + "(epoch 1): every trial pauses there and none completes; raise search.trials to 3 or more, or set "
                + "mode: stop"), validate.err().lines().toList());

        Path enough = Files.writeString(dir.resolve("enough.yaml"), study("enough", 3, 9, """
                pruner: {type: asha, mode: pause}
                """));
        Cli quiet = Cli.run("validate", enough.toString());
        assertEquals(0, quiet.exit(), quiet.toString());
        assertEquals("", quiet.err(), "with 3 trials the best of the first rung goes on");

        Path none = Files.writeString(dir.resolve("none.yaml"), study("none", 2, 9, "pruner: none\n"));
        Cli without = Cli.run("validate", none.toString());
        assertEquals(0, without.exit(), without.toString());
        assertFalse(without.out().contains("pruner"), "no pruner, no line: " + without.out());
    }

    /** Bracket b's rungs start η^b times later; the last bracket has none when epochs is min_epochs·η^k. */
    @Test
    void hyperbandListsEachBracketsRungs() throws Exception {
        assertEquals(Optional.of("pruner: hyperband, 4 brackets with rungs at epochs [1, 3, 9], [3, 9], [9], [none] "
                + "(η 3), mode stop"), report(30, 27, "pruner: {type: hyperband}\n").pruner());
        assertEquals(Optional.of("pruner: hyperband, 3 brackets with rungs at epochs [1, 3, 9], [3, 9], [9] (η 3), "
                + "mode stop"), report(30, 26, "pruner: {type: hyperband}\n").pruner());
        assertEquals(Optional.of("pruner: hyperband, 2 brackets with rungs at epochs [2, 4], [4] (η 2), mode pause"),
                report(30, 6, "pruner: {type: hyperband, min_epochs: 2, reduction_factor: 2, mode: pause}\n")
                        .pruner());
        assertEquals(Optional.of("pruner: hyperband, 1 bracket with rungs at epochs [1] (η 4), mode stop"),
                report(30, 2, "pruner: {type: hyperband, reduction_factor: 4}\n").pruner());
    }

    /** Each bracket competes alone: a pausing hyperband needs η trials in every bracket that has a rung. */
    @Test
    void aPausingHyperbandWarnsOfBracketsWithFewerThanEtaTrials() throws Exception {
        String oneBracket = "pruner: {type: hyperband, reduction_factor: 4, mode: pause}\n";
        assertEquals(List.of("warning: with 3 trials and reduction_factor 4, hyperband's bracket 0 gets fewer than 4 "
                + "trials: none of its trials is promoted past its first rung, so none of them completes; raise "
                + "search.trials to 4 or more, or set mode: stop"), report(3, 2, oneBracket).prunerWarnings());
        assertEquals(List.of(), report(4, 2, oneBracket).prunerWarnings());
        assertEquals(List.of(), report(3, 2, oneBracket.replace("pause", "stop")).prunerWarnings(),
                "stop mode promotes the best so far even with fewer than η trials");

        String brackets = "pruner: {type: hyperband, min_epochs: 1, reduction_factor: 3, mode: pause}\n";
        List<String> few = report(5, 27, brackets).prunerWarnings();
        assertEquals(1, few.size(), few.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^warning: with 5 trials and reduction_factor 3, "
                + "hyperband's brackets? [0-9, ]+ gets? fewer than 3 trials: .* raise search.trials to (\\d+) or "
                + "more, or set mode: stop$").matcher(few.get(0));
        assertTrue(m.matches(), few.get(0));
        int enough = Integer.parseInt(m.group(1));
        assertEquals(List.of(), report(enough, 27, brackets).prunerWarnings(), "the budget it names is enough");
        assertEquals(1, report(enough - 1, 27, brackets).prunerWarnings().size(), "and the least that is");

        assertEquals(List.of("warning: with 6 trials and reduction_factor 2147483647, hyperband's bracket 0 gets fewer "
                + "than 2147483647 trials: none of its trials is promoted past its first rung, so none of them "
                + "completes; even 1000000 trials are not enough (each such bracket needs 2147483647 of its own): "
                + "lower reduction_factor or set mode: stop"), report(6, 4,
                "pruner: {type: hyperband, reduction_factor: 2147483647, mode: pause}\n").prunerWarnings(),
                "no budget it searched is enough: it names none");
    }

    @Test
    void medianSaysWhenItPrunesAndWarnsWhenItNeverCan() throws Exception {
        SearchSpaceReport median = report(10, 4, "pruner: {type: median, warmup_epochs: 2, startup_trials: 1}\n");
        assertEquals(Optional.of("pruner: median, from epoch 2 once 1 trial is complete"), median.pruner());
        assertEquals(List.of(), median.prunerWarnings());
        assertEquals(Optional.of("pruner: median, from epoch 1 once 5 trials are complete"),
                report(10, 4, "pruner: {type: median}\n").pruner());
        assertEquals(List.of("warning: median never prunes: it waits for 5 complete trials and the study has 5; lower "
                        + "startup_trials below 5 or raise search.trials",
                "warning: median never prunes: warmup_epochs 4 is the last epoch, where a trial has finished; lower "
                        + "warmup_epochs below 4"),
                report(5, 4, "pruner: {type: median, warmup_epochs: 4}\n").prunerWarnings());
        assertEquals(List.of("warning: median never prunes: a trial of 1 epoch has finished when it could act; "
                + "raise budget.epochs or remove pruner"), report(10, 1, "pruner: {type: median, startup_trials: 1}\n")
                .prunerWarnings(), "no warm-up below 1 to suggest");
        assertEquals(Optional.empty(), report(5, 4, "").pruner());
        assertEquals(List.of(), report(1, 1, "").prunerWarnings());
    }
}
