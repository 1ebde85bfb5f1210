package dev.thaw.testing;

import java.nio.file.Path;

/** Study-file text for tests, over {@link TinyImages} and a source model in a temporary directory. */
public final class StudyFiles {
    private StudyFiles() {
    }

    /** A study of {@code trials} random trials × {@code epochs} epochs on target classes 2 and 3. */
    public static String tiny(String name, TinyImages data, Path model, Path results, int trials, int epochs) {
        return """
                name: %s
                seed: 5
                model:
                  source: builtin
                  path: %s
                  head:
                    hidden: 8
                data:
                  format: idx
                  train_images: %s
                  train_labels: %s
                  test_images: %s
                  test_labels: %s
                  classes: [2, 3]
                  per_class: 20
                  validation_fraction: 0.25
                  image_size: 12
                objective:
                  metric: val_accuracy
                search:
                  algorithm: random
                  trials: %d
                  seed: 3
                budget:
                  epochs: %d
                space:
                  learning_rate: {type: float, low: 1.0e-3, high: 5.0e-2, log: true}
                  batch_size: {type: choice, values: [8, 16]}
                  dropout: {type: float, low: 0.0, high: 0.3}
                  optimizer: {type: choice, values: [adam, nesterovs]}
                  unfreeze_depth: {type: int, low: 0, high: 3}
                output:
                  dir: %s
                """.formatted(name, model, data.trainImages, data.trainLabels, data.testImages, data.testLabels,
                trials, epochs, results);
    }

    /** {@code study} with its top-level {@code section} (e.g. {@code "model"}) replaced by {@code replacement}. */
    public static String replaceSection(String study, String section, String replacement) {
        int from = study.indexOf(section + ":\n");
        int to = from + section.length() + 2;
        while (to < study.length() && (study.charAt(to) == ' ' || study.charAt(to) == '\n')) {
            to = study.indexOf('\n', to) + 1;
        }
        return study.substring(0, from) + replacement + study.substring(to);
    }
}
