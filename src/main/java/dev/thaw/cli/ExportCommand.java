package dev.thaw.cli;

import dev.thaw.export.BestTrialExporter;
import dev.thaw.export.ExportResult;
import dev.thaw.store.Database;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/** {@code thaw export STUDY --out FILE}: the best trial as a re-runnable study file and its model zip. */
@Command(name = "export", description = "Export a study's best trial as a re-runnable study file, its model zip "
        + "and provenance.")
final class ExportCommand extends ThawCommand {
    @Parameters(paramLabel = "STUDY", description = "The study name.")
    String study;

    @Option(names = "--out", required = true, paramLabel = "FILE.yaml", description = "The study file to write.")
    Path out;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() throws Exception {
        store.requireDatabase();
        try (Database db = Database.open(store.url(), err()::println)) {
            StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
            store.requireStudy(studies, study);
            ExportResult result = new BestTrialExporter(studies, new TrialStore(db.dataSource(), Clock.systemUTC()))
                    .export(study, out);
            out().printf(Locale.ROOT, "exported trial %d of %s (%s %.4f) to %s%n", result.provenance().trial(),
                    Printable.of(study), result.provenance().metric(), result.provenance().score(),
                    Printable.of(result.studyFile().toString()));
            if (result.model().isPresent()) {
                out().println("model: " + Printable.of(result.model().get().toString()));
            } else if (result.modelRefused().isPresent()) {
                out().println("model: not copied, refused: " + Printable.of(result.modelRefused().get()));
            } else {
                out().println("model: none kept (output.keep_models is none, or the file is gone)");
            }
            out().println("re-run it with: " + BestTrialExporter.rerun(result.studyFile()));
            return 0;
        }
    }
}
