package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.Optional;

/** {@code thaw resume STUDY}: continues a study from the study file stored with it. */
@Command(name = "resume", description = "Continue a study (after a crash or a stop) from its stored study file.")
final class ResumeCommand extends ThawCommand {
    @Parameters(paramLabel = "STUDY", description = "The study name.")
    String study;

    @Option(names = "--slots", paramLabel = "N", description = "Trials to run at once (default: as last run).")
    Integer slots;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() throws Exception {
        store.requireDatabase();
        StudyRecord record;
        try (Database db = Database.open(store.url(), err()::println)) {
            record = store.requireStudy(new StudyStore(db.dataSource(), Clock.systemUTC()), study);
        }
        StudySpec spec = new StudyFileReader().parse(record.specText())
                .withSlots(slots != null ? slots : record.slots());
        StudySpec checkedSpec = spec;
        return new StudyLauncher(out()).run(spec, record.specText(), store.url(), true, spec.slots(), Optional.empty(),
                store.hints(), () -> CheckedStudy.check(checkedSpec, record.specText()));
    }
}
