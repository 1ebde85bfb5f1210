package dev.thaw.train.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What one cache entry holds: the activations at {@code boundary} of a source model for the images of {@code data}
 * ({@code split}: which part of it, e.g. a fold), preprocessed by {@code preprocess} at {@code imageSize} pixels.
 * The fingerprints say which exact model and which exact images; two keys are the same entry exactly when every field
 * is equal. {@link #id()} names its files. Every field is shown by {@code thaw cache --long}.
 *
 * @param imageSize the side of the square images, in pixels; at least 1
 */
public record FeatureKey(String source, String sourceFingerprint, String data, String split, String preprocess,
                         int imageSize, String boundary, String inputFingerprint) {
    public FeatureKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceFingerprint, "sourceFingerprint");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(preprocess, "preprocess");
        Objects.requireNonNull(boundary, "boundary");
        Objects.requireNonNull(inputFingerprint, "inputFingerprint");
        if (imageSize < 1) {
            throw new IllegalArgumentException("imageSize >= 1 must hold, got " + imageSize);
        }
    }

    /** The string fields in the order of the record, imageSize as decimal text in its place. */
    List<String> fields() {
        return List.of(source, sourceFingerprint, data, split, preprocess, String.valueOf(imageSize), boundary,
                inputFingerprint);
    }

    /**
     * The first 32 hex digits (128 bits) of the SHA-256 over every field, each as its UTF-8 bytes preceded by their
     * length (4 bytes, big-endian), so that no two keys can write the same bytes.
     */
    public String id() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String field : fields()) {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
