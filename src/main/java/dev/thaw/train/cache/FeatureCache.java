package dev.thaw.train.cache;

import dev.thaw.train.data.TensorHash;
import dev.thaw.train.transfer.FrozenPart;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The frozen-feature cache of one study on this node, held by its trainer: the outputs of a trial network's frozen
 * part ({@link FrozenPart}) for a set of images, computed once and kept in the {@link FeatureStore} under a key of
 * everything they depend on — the source model (its fingerprint), the images (the data's fingerprint, which split or
 * fold, which part of it, and a hash of the very input tensor), the preprocessing, the image size and the boundary.
 * Later trials, and later studies with the same source and data, read them instead of running the frozen layers.
 * Thread-safe: slots share it; the store builds each entry once across threads and processes.
 */
public final class FeatureCache {
    /** Images the frozen part runs on at once while an entry is built. */
    private static final int BUILD_BATCH = 64;

    private final Optional<FeatureStore> store;
    private final Map<INDArray, String> inputs = new IdentityHashMap<>();
    /** Each entry's per-example shapes, by key id, once a trial has run the frozen part to learn them. */
    private final Map<String, List<long[]>> shapesById = new java.util.concurrent.ConcurrentHashMap<>();

    private FeatureCache(Optional<FeatureStore> store) {
        this.store = store;
    }

    /** No cache ({@code cache.features: off}): every trial computes its frozen layers itself. */
    public static FeatureCache off() {
        return new FeatureCache(Optional.empty());
    }

    /** A cache kept in {@code store}. */
    public static FeatureCache in(FeatureStore store) {
        return new FeatureCache(Optional.of(store));
    }

    public boolean enabled() {
        return store.isPresent();
    }

    /** Where the entries live, when the cache is on. */
    public Optional<java.nio.file.Path> dir() {
        return store.map(FeatureStore::dir);
    }

    /**
     * Which images a table is of, apart from the boundary: everything but the features themselves is shown by
     * {@code thaw cache}.
     *
     * @param features the images as the whole network takes them, [n, c, h, w] (or [n, h, w, c]); the same array
     *                 object for every trial of the study (its hash is computed once)
     */
    public record Images(String source, String sourceFingerprint, String data, String split, String preprocess,
                         int imageSize, INDArray features) {
    }

    /**
     * The frozen part's outputs for {@code images}, from the store or computed now (and stored); empty when they
     * cannot be kept (larger than {@code cache.max_gb}, or the folder refuses them) — the trial then computes its
     * frozen layers itself. What happens is said on {@code notes}, one line at a time: the build's progress, or that
     * an entry was reused, or why there is none.
     */
    public Optional<FeatureTable> outputs(FrozenPart part, Images images, Consumer<String> notes) {
        if (store.isEmpty()) {
            return Optional.empty();
        }
        INDArray x = images.features();
        int count = (int) x.size(0);
        String boundary = String.join(" + ", part.boundary());
        FeatureKey key = new FeatureKey(images.source(), images.sourceFingerprint(), images.data(), images.split(),
                images.preprocess(), images.imageSize(), boundary, inputFingerprint(x));
        // one image through the frozen part says the shapes, once per entry in this process
        List<long[]> shapes = shapesById.computeIfAbsent(key.id(), id -> Arrays.stream(
                part.outputs(x.get(NDArrayIndex.interval(0, 1)))).map(a -> Arrays.copyOfRange(a.shape(), 1, a.rank()))
                .toList());
        long bytes = FeatureStore.entryBytes(key, count, shapes);
        long started = System.nanoTime();
        boolean[] built = {false};
        try {
            Optional<FeatureTable> table = store.get().table(key, count, shapes, out -> {
                built[0] = true;
                notes.accept(String.format(Locale.ROOT, "caching frozen features below %s for %d %s images "
                        + "(%s; once, later trials reuse them)", boundary, count, images.split(), Sizes.human(bytes)));
                int step = Math.max(BUILD_BATCH, (count / 4 + BUILD_BATCH - 1) / BUILD_BATCH * BUILD_BATCH);
                for (int from = 0; from < count; from += BUILD_BATCH) {
                    int to = Math.min(count, from + BUILD_BATCH);
                    INDArray[] outputs = part.outputs(x.get(NDArrayIndex.interval(from, to)));
                    for (int t = 0; t < outputs.length; t++) {
                        out.put(t, from, outputs[t].dup('c').data().asFloat());
                    }
                    if (to < count && to / step != from / step) {
                        notes.accept(String.format(Locale.ROOT, "caching frozen features: %d of %d images", to, count));
                    }
                }
            });
            if (table.isEmpty()) {
                notes.accept(String.format(Locale.ROOT, "frozen features below %s not cached: %s is more than "
                        + "cache.max_gb (%s); raise it to reuse them", boundary, Sizes.human(bytes),
                        Sizes.human(store.get().maxBytes())));
            } else if (built[0]) {
                notes.accept(String.format(Locale.ROOT, "cached frozen features below %s for %d %s images in %.1f s",
                        boundary, count, images.split(), (System.nanoTime() - started) / 1e9));
            }
            return table;
        } catch (IOException | java.io.UncheckedIOException e) {
            notes.accept("frozen features not cached: " + dev.thaw.study.Printable.firstLine(e)
                    + "; the trial computes its frozen layers itself (check cache.dir)");
            return Optional.empty();
        }
    }

    /** SHA-256 of the tensor's shape and float values, computed once per array object. */
    private String inputFingerprint(INDArray features) {
        synchronized (inputs) {
            String known = inputs.get(features);
            if (known != null) {
                return known;
            }
        }
        String hash = new TensorHash().tensor(features).digest();
        synchronized (inputs) {
            inputs.put(features, hash);
        }
        return hash;
    }
}
