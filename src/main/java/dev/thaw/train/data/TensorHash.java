package dev.thaw.train.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256 fingerprints of tensors, the one way Thaw hashes what a network or a cache entry is made of: text (a
 * configuration), then each tensor's shape and its values as float32 in C order, read in chunks so no copy of a large
 * tensor is made. Written {@code sha256:} and 32 hex digits (128 bits).
 */
public final class TensorHash {
    private static final int CHUNK = 65536;
    private final MessageDigest sha;

    public TensorHash() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    public TensorHash text(String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Adds {@code tensor}'s shape and values. */
    public TensorHash tensor(INDArray tensor) {
        text(Arrays.toString(tensor.shape()));
        long n = tensor.length();
        INDArray flat = tensor.dup('c').reshape(n); // a copy: reshaping a network's parameter view could change it
        ByteBuffer bytes = ByteBuffer.allocate(4 * CHUNK);
        for (long from = 0; from < n; from += CHUNK) {
            float[] chunk = flat.get(NDArrayIndex.interval(from, Math.min(n, from + CHUNK))).toFloatVector();
            bytes.clear();
            bytes.asFloatBuffer().put(chunk);
            sha.update(bytes.array(), 0, 4 * chunk.length);
        }
        return this;
    }

    /** The hash of everything added, as {@code sha256:} and 32 hex digits. */
    public String digest() {
        return "sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    }
}
