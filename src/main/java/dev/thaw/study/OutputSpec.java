package dev.thaw.study;

import java.nio.file.Path;

/** Where results go and which trained models are kept. */
public record OutputSpec(Path dir, KeepModels keepModels) {

    /** Which trials' fine-tuned models stay on disk. */
    public enum KeepModels {
        BEST, ALL, NONE;

        public String key() {
            return Keys.of(this);
        }
    }
}
