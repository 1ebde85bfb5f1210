package dev.thaw.cli;

import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.StudyEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;

/** {@code thaw validate STUDY.yaml}: checks a study file without running anything. */
@Command(name = "validate", description = "Check a study file: keys, types, ranges, names and files.")
final class ValidateCommand extends ThawCommand {
    @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
    Path file;

    @Override
    public Integer call() throws Exception {
        String text = StudyFileReader.text(file);
        StudyEnvironment.Checked checked = CheckedStudy.check(new StudyFileReader().parse(text), text);
        StudySpec spec = checked.spec();
        int layers = checked.blocks();
        out().printf(Locale.ROOT, "%s is valid: study '%s', %s search over %s, %d trials x %d epochs, "
                        + "ranked by %s (%s); the source model's backbone has %d blocks (unfreeze_depth 0..%<d)%n", file, spec.name(), spec.search().algorithm().key(),
                spec.searched().isEmpty() ? "nothing (all fixed)" : String.join(", ", spec.searched().keySet()),
                spec.search().trials(), spec.epochs(), spec.metric().key(), spec.direction().key(), layers);
        return 0;
    }
}
