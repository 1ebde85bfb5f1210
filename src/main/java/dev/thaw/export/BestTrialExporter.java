package dev.thaw.export;

import dev.thaw.store.KeptFile;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Baseline;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.Provenance;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;
import dev.thaw.study.SuggestedCommand;
import dev.thaw.study.yaml.StudyFileException;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.study.yaml.StudyFileWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exports a study's best trial as a study of one trial named {@code <study>-best}: same model, data, seeds and
 * budget, output folder and feature cache, every hyperparameter the trial used fixed to the winning value, plus a
 * provenance block (no pruner, baseline or conditions); and copies the best
 * trial's model zip beside it as {@code <file>-model.zip}. A parameter inactive in the best trial (absent from its
 * assignment) is left out, so its re-run trains with the default as the trial did; the export has no conditions.
 */
public final class BestTrialExporter {
    private static final String MODEL = "model";

    private final StudyStore studies;
    private final TrialStore trials;

    public BestTrialExporter(StudyStore studies, TrialStore trials) {
        this.studies = studies;
        this.trials = trials;
    }

    /**
     * Writes the export to {@code out} and copies the best model beside it as {@code <file>-model.zip}; a model whose
     * recorded file Thaw may not read (see {@link KeptFile}) is not copied, and the result says why.
     */
    public ExportResult export(String studyName, Path out) throws ExportException {
        Export export = prepare(studyName, Optional.of(out));
        Optional<KeptFile> kept = trials.keptFile(export.best().id(), MODEL);
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(out, export.text());
            Optional<Path> model = Optional.empty();
            Optional<Path> file = kept.flatMap(KeptFile::file);
            if (file.isPresent()) {
                String stem = out.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                Path target = parent.resolve(stem + "-model.zip");
                Files.copy(file.get(), target, StandardCopyOption.REPLACE_EXISTING);
                model = Optional.of(target);
            }
            return new ExportResult(out, model, kept.flatMap(KeptFile::refusal), export.provenance());
        } catch (IOException e) {
            throw new ExportException("cannot write the export to " + out + ": " + e.getMessage());
        }
    }

    /** The export's study file as text, for a download. */
    public String studyFile(String studyName) throws ExportException {
        return prepare(studyName, Optional.empty()).text();
    }

    /**
     * The kept model zip of the study's best trial, when the study kept one and it is still there.
     *
     * @throws ExportException when its recorded file may not be read (see {@link KeptFile}), saying why
     */
    public Optional<Path> bestModel(String studyName) throws ExportException {
        TrialRecord best = prepare(studyName, Optional.empty()).best();
        Optional<KeptFile> kept = trials.keptFile(best.id(), MODEL);
        Optional<String> refusal = kept.flatMap(KeptFile::refusal);
        if (refusal.isPresent()) {
            throw new ExportException("the model of trial " + best.number() + " of '" + studyName + "' is refused: "
                    + refusal.get());
        }
        return kept.flatMap(KeptFile::file);
    }

    private record Export(String text, TrialRecord best, Provenance provenance) {
    }

    /** The command that re-runs an export written to {@code file}. */
    public static SuggestedCommand rerun(Path file) {
        return SuggestedCommand.of("run", file.toString());
    }

    private Export prepare(String studyName, Optional<Path> file) throws ExportException {
        StudyRecord study = studies.find(studyName).orElseThrow(() -> new ExportException(
                "no study named '" + studyName + "' in this database"));
        TrialRecord best = trials.best(study.id(), study.direction()).orElseThrow(() -> new ExportException(
                "study '" + studyName + "' has no COMPLETE trial yet; run it first"));
        StudySpec spec;
        try {
            spec = new StudyFileReader().parse(study.specText());
        } catch (StudyFileException e) {
            throw new ExportException("the stored study file no longer validates: " + e.getMessage());
        }
        Map<String, ParamSpec> fixed = new LinkedHashMap<>();
        spec.space().keySet().forEach(k -> {
            Object value = best.assignment().values().get(k);
            if (value != null) { // absent: inactive in the best trial, which trained with its default
                fixed.put(k, new ParamSpec.FixedParam(value));
            }
        });
        SearchSpec s = spec.search();
        StudySpec exported = new StudySpec(exportName(spec.name()), spec.seed(), spec.model(), spec.data(),
                spec.metric(), spec.direction(), new SearchSpec(SearchSpec.Algorithm.RANDOM, 1, s.seed(),
                Optional.empty(), s.gridPoints()), spec.epochs(), fixed, spec.output(), 1, Baseline.NONE, Map.of(),
                PrunerSpec.NONE, spec.cache());
        Provenance provenance = new Provenance(study.name(), best.number(), best.score().orElseThrow(),
                spec.metric().key(), best.seed(), best.datasetFingerprint(), best.thawVersion(), best.dl4jVersion(),
                best.javaVersion());
        String text = header(provenance, file) + new StudyFileWriter().write(exported, provenance);
        return new Export(text, best, provenance);
    }

    private static String exportName(String name) {
        String base = name.length() > 59 ? name.substring(0, 59) : name;
        return base + "-best";
    }

    private static String header(Provenance p, Optional<Path> file) {
        return "# Best trial (#" + p.trial() + ", " + p.metric() + " = " + p.score() + ") of study '" + p.study()
                + "', exported by Thaw.\n" + file.map(f -> "# Run it again with: " + rerun(f) + "\n")
                .orElse("# Run it again with Thaw's run command.\n");
    }
}
