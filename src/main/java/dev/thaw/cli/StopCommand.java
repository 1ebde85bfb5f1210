package dev.thaw.cli;

import dev.thaw.study.Printable;
import dev.thaw.study.StopReason;
import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.run.StoreStudyControl;
import dev.thaw.run.StudyControl;
import dev.thaw.store.TrialStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.NoSuchElementException;

/** {@code thaw stop STUDY [--trial N] --reason "..." [--now]}. */
@Command(name = "stop", description = "Stop a running trial at its next batch (a paused one at once, deleting its "
        + "checkpoint), or a study: it starts no more trials and its running ones finish (or stop too, with --now).")
final class StopCommand extends ThawCommand {
    @Parameters(paramLabel = "STUDY", description = "The study name.")
    String study;

    @Option(names = "--trial", paramLabel = "N", description = "Stop only trial number N.")
    Integer trial;

    @Option(names = "--reason", required = true, description = "Why; recorded with the stopped trials (plain text "
            + "on one line, at most " + StopReason.MAX_LENGTH + " characters).")
    String reason;

    @Option(names = "--now", description = "Stop the study's running trials too, at their next batch.")
    boolean now;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() throws Exception {
        try {
            StopReason.check(reason);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        store.requireDatabase();
        try (Database db = Database.open(store.url(), err()::println)) {
            StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
            TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
            StudyRecord record = store.requireStudy(studies, study);
            StudyControl control = new StoreStudyControl(studies, trials);
            boolean stoppedNow = false;
            try {
                if (trial != null) {
                    stoppedNow = control.stopTrial(record.id(), trial, reason);
                } else {
                    control.stopStudy(record.id(), reason, now);
                }
            } catch (NoSuchElementException | IllegalStateException e) {
                throw new UserException(e.getMessage());
            }
            if (stoppedNow) {
                out().printf("stopped trial %d of %s, which was paused (its checkpoint is deleted): %s%n", trial,
                        Printable.of(record.name()), Printable.of(reason));
            } else if (trial != null) {
                out().printf("asked trial %d of %s to stop at its next batch: %s%n", trial, Printable.of(record.name()),
                        Printable.of(reason));
            } else {
                out().printf("asked study %s to stop%s: %s%n", Printable.of(record.name()),
                        now ? ", its running trials at their next batch" : " after its running trials", Printable.of(reason));
                out().println("once its run has ended, continue it with: " + store.hints().resume(study));
            }
            return 0;
        }
    }
}
