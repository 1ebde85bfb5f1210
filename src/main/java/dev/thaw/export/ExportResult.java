package dev.thaw.export;

import dev.thaw.study.Provenance;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What an export wrote: the study file, the model zip when the best trial's model was kept, why a kept model was not
 * copied (its recorded file is not one Thaw may read: {@code store.KeptFile}), and the provenance.
 */
public record ExportResult(Path studyFile, Optional<Path> model, Optional<String> modelRefused, Provenance provenance) {
}
