package dev.thaw.cli;

import dev.thaw.run.RunEnvironment;
import dev.thaw.run.RunSummary;
import dev.thaw.run.StudyRunner;
import dev.thaw.search.SamplerFactory;
import dev.thaw.store.Database;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.SourceModelCheck;
import dev.thaw.train.Dl4jTrialTrainer;
import dev.thaw.train.TargetData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/** {@code thaw run STUDY.yaml}: runs (or continues) a study to its budget. */
@Command(name = "run", description = "Run a study, or continue it up to its budget if it was run before.")
final class RunCommand extends ThawCommand {
    @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
    Path file;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database URL instead of the H2 file in the study's output.dir.")
    String db;

    @Override
    public Integer call() throws Exception {
        StudySpec spec = new StudyFileReader().read(file);
        new SourceModelCheck().check(spec);
        String text = Files.readString(file);
        long started = System.nanoTime();
        TargetData data = TargetData.load(spec.data(), spec.seed());
        out().printf(Locale.ROOT, "data: %d training and %d validation images of classes %s (%s), %.1f s%n",
                data.trainSize(), data.validationSize(), spec.data().classes(), data.fingerprint(),
                (System.nanoTime() - started) / 1e9);
        String url = db != null ? db : Database.fileUrl(spec.output().dir());
        try (Database database = Database.open(url)) {
            Clock clock = Clock.systemUTC();
            StudyRunner runner = new StudyRunner(new StudyStore(database.dataSource(), clock),
                    new TrialStore(database.dataSource(), clock), new SamplerFactory(), clock,
                    new ConsoleProgress(out(), spec.metric().key()));
            RunEnvironment env = new RunEnvironment(data.fingerprint(), Versions.thaw(),
                    Dl4jTrialTrainer.dl4jVersion(), Versions.java());
            RunSummary summary = runner.run(spec, text, new Dl4jTrialTrainer(spec, data), env);
            out().printf(Locale.ROOT, "took %.1f s; see all trials with: scripts/thaw trials %s%s%n",
                    (System.nanoTime() - started) / 1e9, spec.name(),
                    db == null && !spec.output().dir().equals(Path.of("results")) ? " --results " + spec.output().dir() : "");
            return summary.best().isPresent() ? 0 : ThawCli.EXIT_FAILURE;
        }
    }
}
