package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code thaw run STUDY.yaml}: runs (or continues) a study to its budget. */
@Command(name = "run", description = "Run a study, or continue it up to its budget if it was run before.")
final class RunCommand extends ThawCommand {
    @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
    Path file;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database URL instead of the H2 file in the study's output.dir.")
    String db;

    @Option(names = "--slots", paramLabel = "N",
            description = "Trials of the study to run at once, on all nodes (default: the study's resources.slots).")
    Integer slots;

    @Option(names = "--local-slots", paramLabel = "M",
            description = "Trials this process runs itself (default: --slots; 0: only feed the workers).")
    Integer localSlots;

    @Option(names = "--serve", description = "Serve the leaderboard in the browser while the study runs.")
    boolean serve;

    @Mixin
    WebOptionsMixin web = new WebOptionsMixin();

    @Override
    public Integer call() throws Exception {
        String text = StudyFileReader.text(file);
        StudySpec spec = new StudyFileReader().parse(text);
        if (slots != null && slots < 1) {
            throw new UserException("--slots must be >= 1, got " + slots);
        }
        spec = spec.withSlots(slots != null ? slots : spec.slots() > 0 ? spec.slots() : Devices.defaultSlots());
        String url = db != null ? db : Database.fileUrl(spec.output().dir());
        if (localSlots != null && localSlots < 0) {
            throw new UserException("--local-slots must be >= 0, got " + localSlots);
        }
        StudySpec checkedSpec = spec;
        boolean databaseExists = db != null || Files.isRegularFile(spec.output().dir().resolve("thaw.mv.db"));
        return new StudyLauncher(out()).run(spec, text, url, databaseExists,
                localSlots != null ? localSlots : spec.slots(), serve ? Optional.of(web.options()) : Optional.empty(),
                CommandHints.of(db, spec.output().dir()), () -> CheckedStudy.check(checkedSpec, text));
    }
}
