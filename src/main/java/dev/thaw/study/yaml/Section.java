package dev.thaw.study.yaml;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of the study file with its dotted path; typed accessors that fail with the field path and line.
 */
final class Section {
    private final YamlNode.Mapping map;
    private final String path;

    private Section(YamlNode.Mapping map, String path) {
        this.map = map;
        this.path = path;
    }

    static Section of(YamlNode node, String path) throws StudyFileException {
        if (node instanceof YamlNode.Mapping m) {
            return new Section(m, path);
        }
        throw StudyFileException.at(path, node.line(), "must be a mapping of keys to values, got " + node.kind());
    }

    String path() {
        return path;
    }

    int line() {
        return map.line();
    }

    Set<String> keys() {
        return map.entries().keySet();
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Fails on the first key not among {@code allowed}, listing the allowed ones. */
    Section allow(String... allowed) throws StudyFileException {
        List<String> ok = Arrays.asList(allowed);
        for (var e : map.entries().entrySet()) {
            if (!ok.contains(e.getKey())) {
                throw StudyFileException.at(pathOf(e.getKey()), e.getValue().line(),
                        "unknown key; allowed here: " + String.join(", ", new TreeSet<>(ok)));
            }
        }
        return this;
    }

    Optional<YamlNode> node(String key) {
        YamlNode n = map.entries().get(key);
        if (n instanceof YamlNode.Scalar s && s.value() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(n);
    }

    /** The node at {@code key} as written, an empty value included; null when the key is absent. */
    YamlNode entry(String key) {
        return map.entries().get(key);
    }

    YamlNode require(String key) throws StudyFileException {
        YamlNode present = map.entries().get(key);
        int line = present != null ? present.line() : map.line();
        return node(key).orElseThrow(() -> StudyFileException.at(pathOf(key), line, "is required"));
    }

    Section section(String key) throws StudyFileException {
        return of(require(key), pathOf(key));
    }

    Optional<Section> optionalSection(String key) throws StudyFileException {
        Optional<YamlNode> n = node(key);
        return n.isPresent() ? Optional.of(of(n.get(), pathOf(key))) : Optional.empty();
    }

    String string(String key) throws StudyFileException {
        YamlNode n = require(key);
        if (n instanceof YamlNode.Scalar s && s.value() instanceof String text && !text.isBlank()) {
            return text;
        }
        throw error(key, "must be text, got " + n.kind());
    }

    Optional<String> optionalString(String key) throws StudyFileException {
        return node(key).isPresent() ? Optional.of(string(key)) : Optional.empty();
    }

    double number(String key, double fallback) throws StudyFileException {
        return node(key).isPresent() ? number(key) : fallback;
    }

    double number(String key) throws StudyFileException {
        YamlNode n = require(key);
        return asNumber(n).orElseThrow(() -> error(key, "must be a number, got " + n.kind())).doubleValue();
    }

    long integer(String key, long fallback) throws StudyFileException {
        return node(key).isPresent() ? integer(key) : fallback;
    }

    /** A whole number that fits an int; anything larger is refused, never wrapped around. */
    int intValue(String key) throws StudyFileException {
        long v = integer(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error(key, "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    + ", got " + v);
        }
        return (int) v;
    }

    int intValue(String key, int fallback) throws StudyFileException {
        return node(key).isPresent() ? intValue(key) : fallback;
    }

    long integer(String key) throws StudyFileException {
        YamlNode n = require(key);
        if (n instanceof YamlNode.Scalar s && s.value() instanceof Long l) {
            return l;
        }
        throw error(key, "must be a whole number, got " + n.kind());
    }

    boolean bool(String key, boolean fallback) throws StudyFileException {
        Optional<YamlNode> n = node(key);
        if (n.isEmpty()) {
            return fallback;
        }
        if (n.get() instanceof YamlNode.Scalar s && s.value() instanceof Boolean b) {
            return b;
        }
        throw error(key, "must be true or false, got " + n.get().kind());
    }

    List<YamlNode> list(String key) throws StudyFileException {
        YamlNode n = require(key);
        if (n instanceof YamlNode.Sequence seq) {
            return seq.items();
        }
        throw error(key, "must be a list like [a, b], got " + n.kind());
    }

    /** Reads a scalar as a number, also accepting text such as {@code 1e-4} that YAML 1.1 leaves as a string. */
    static Optional<Number> asNumber(YamlNode n) {
        if (n instanceof YamlNode.Scalar s) {
            if (s.value() instanceof Number num) {
                return Double.isFinite(num.doubleValue()) ? Optional.of(num) : Optional.empty();
            }
            if (s.value() instanceof String text && text.trim().matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                try {
                    return Optional.of(Double.parseDouble(text.trim()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    StudyFileException error(String key, String problem) {
        int line = node(key).map(YamlNode::line).orElse(map.line());
        return StudyFileException.at(pathOf(key), line, problem);
    }
}
