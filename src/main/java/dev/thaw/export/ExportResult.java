package dev.thaw.export;

import dev.thaw.study.Provenance;

import java.nio.file.Path;
import java.util.Optional;

/** What an export wrote: the study file, the model zip when the best trial's model was kept, and the provenance. */
public record ExportResult(Path studyFile, Optional<Path> model, Provenance provenance) {
}
