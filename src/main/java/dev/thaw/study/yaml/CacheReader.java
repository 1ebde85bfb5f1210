package dev.thaw.study.yaml;

import dev.thaw.study.CacheSpec;
import dev.thaw.study.CacheSpec.Features;
import dev.thaw.study.Keys;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the study file's {@code cache} block into a {@link CacheSpec}: absent or empty is {@link CacheSpec#DEFAULT};
 * otherwise a mapping of {@code features} (auto or off), {@code dir} (a folder) and {@code max_gb} (a number &gt; 0),
 * each optional. YAML 1.1 reads {@code off} as false, so false (written off, no or false) is off.
 */
final class CacheReader {
    /** The block's keys, in the order the study file shows them. */
    static final String[] KEYS = {"features", "dir", "max_gb"};

    /** @param root the study file's top level, which may hold {@code cache} */
    CacheSpec read(Section root) throws StudyFileException {
        YamlNode node = root.node("cache").orElse(null);
        if (node == null) {
            return CacheSpec.DEFAULT;
        }
        if (!(node instanceof YamlNode.Mapping)) {
            if (node instanceof YamlNode.Scalar sc && Boolean.FALSE.equals(sc.value())) {
                throw root.error("cache", "write {features: off} to turn the cache off; cache is a mapping of "
                        + "features, dir and max_gb");
            }
            throw root.error("cache", "must be a mapping of features, dir and max_gb, like {features: off}, got "
                    + node.kind());
        }
        Section s = root.section("cache").allow(KEYS);
        return new CacheSpec(features(s), dir(s), maxGb(s));
    }

    private static Features features(Section s) throws StudyFileException {
        Optional<YamlNode> node = s.node("features");
        if (node.isEmpty()) {
            return CacheSpec.DEFAULT.features();
        }
        if (node.get() instanceof YamlNode.Scalar sc) {
            if (Boolean.FALSE.equals(sc.value())) {
                return Features.OFF;
            }
            if (sc.value() instanceof String text) {
                return Keys.parse(Features.values(), text).orElseThrow(() -> s.error("features", "unknown value '"
                        + text + "'; use one of: " + Keys.list(Features.values())));
            }
        }
        throw s.error("features", "must be auto or off, got " + node.get().kind());
    }

    private static Optional<Path> dir(Section s) throws StudyFileException {
        Optional<YamlNode> node = s.node("dir");
        if (node.isEmpty()) {
            return CacheSpec.DEFAULT.dir();
        }
        if (node.get() instanceof YamlNode.Scalar sc && sc.value() instanceof String text && text.isBlank()) {
            throw s.error("dir", "is empty; write a folder, or leave dir out for the folder cache under output.dir");
        }
        return Optional.of(StudyFileReader.path(s, "dir"));
    }

    private static double maxGb(Section s) throws StudyFileException {
        double maxGb = s.number("max_gb", CacheSpec.DEFAULT.maxGb());
        if (!(maxGb > 0 && Double.isFinite(maxGb))) {
            throw s.error("max_gb", "must be a number > 0 (the most the cache folder may hold, in GB), got "
                    + CacheSpec.gb(maxGb));
        }
        return maxGb;
    }
}
