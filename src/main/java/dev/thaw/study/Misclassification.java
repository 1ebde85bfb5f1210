package dev.thaw.study;

/**
 * A validation image the trained model got wrong: where it comes from (a file path, or a file and index), its class,
 * the class predicted (labels as the study numbers them) and the probability the model gave the wrong class.
 */
public record Misclassification(String example, int actual, int predicted, double confidence) {
}
