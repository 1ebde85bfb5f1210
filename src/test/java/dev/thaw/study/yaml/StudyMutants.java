package dev.thaw.study.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Variants of a good study, each one change away from it, at every key and value: a key added, misspelt, in capitals,
 * removed or emptied; a key or value that another good study has at the same place; a value of another type; numbers
 * on both sides of every bound; text from a set of probes (unknown names, blank, too long, the other names of the
 * same kind); lists emptied, shortened, with an item twice. A list's items are changed at its first item. Many
 * mutants are bad files, some good; {@link StudySchemaMutantsTest} holds the reader and the schema to the same verdict
 * on each. The free-form {@code provenance} block is changed only as a whole.
 */
final class StudyMutants {
    /** What a mutant changed. */
    enum Kind { UNKNOWN_KEY, BORROWED_KEY, BORROWED_VALUE, LETTER_CASE, MISSING_KEY, EMPTY_VALUE, WRONG_TYPE, NUMBER, TEXT,
        LIST }

    /** One changed study: the change, where (a JSON pointer), and the value put there (null when removed). */
    record Mutant(Kind kind, String where, JsonNode after, JsonNode study) {
        String text() {
            try {
                return SchemaCheck.YAML.writeValueAsString(study);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return kind + " at " + where + (after == null ? "" : " = " + after);
        }
    }

    private static final List<JsonNode> TEXTS = yaml("[zzz, '', ' ', 'bad name!', 10m, 90 s, 0h, 2d, "
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]");
    private static final List<JsonNode> TYPES = yaml("[7, zzz, true, [7], {zzz: 7}]");
    /** Keys whose text names a file or folder: another text is the reader's file check, not the schema's business. */
    private static final Set<String> FILE_KEYS = Set.of("path", "train_images", "train_labels", "test_images",
            "test_labels", "dir", "train_dir", "test_dir");

    private final List<List<String>> names;
    private final List<JsonNode> numbers;
    /** For each mapping's place, the keys good studies have there, each with a value one of them gives it. */
    private final Map<String, Map<String, JsonNode>> keysAt = new HashMap<>();
    /** For each value's place, the values good studies have there. */
    private final Map<String, Set<JsonNode>> valuesAt = new HashMap<>();

    /**
     * @param names   groups of names of one kind (the optimizers, the metrics, ...): a name is tried as each other one
     * @param numbers the numbers tried for every number (see {@link #around})
     * @param studies the good studies whose keys and values are lent to each other
     */
    StudyMutants(List<List<String>> names, List<JsonNode> numbers, List<JsonNode> studies) {
        this.names = names;
        this.numbers = numbers;
        studies.forEach(s -> learn(s, ""));
    }

    /**
     * Numbers on both sides of each bound: {@code b - 1}, {@code b}, {@code b + 1} for a whole-number bound within
     * Java's int range, {@code b - 0.001}, {@code b}, {@code b + 0.001} for another; and 0.0, 1.0 and 3.0, whole numbers
     * written with a point. Give it the bounds of both the schema and the reader: a bound the two do not share, or
     * share as inclusive on one side and exclusive on the other, then shows on one side.
     */
    static List<JsonNode> around(Collection<BigDecimal> bounds) {
        Set<String> probes = new LinkedHashSet<>(List.of("0.0", "1.0", "3.0"));
        for (BigDecimal b : bounds) {
            boolean whole = b.stripTrailingZeros().scale() <= 0;
            if (whole && b.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                continue;
            }
            BigDecimal step = whole ? BigDecimal.ONE : new BigDecimal("0.001");
            BigDecimal at = whole ? b.setScale(0, RoundingMode.UNNECESSARY) : b;
            for (BigDecimal probe : List.of(at.subtract(step), at, at.add(step))) {
                probes.add(probe.toPlainString());
            }
        }
        return yaml("[" + String.join(", ", probes) + "]");
    }

    List<Mutant> of(JsonNode study) {
        List<Mutant> out = new ArrayList<>();
        walk(study, study, "", null, out);
        return out;
    }

    private void learn(JsonNode node, String where) {
        if (!where.isEmpty()) {
            valuesAt.computeIfAbsent(where, w -> new LinkedHashSet<>()).add(node);
        }
        if (node.isObject() && !where.equals("/provenance")) {
            node.fields().forEachRemaining(e -> {
                keysAt.computeIfAbsent(where, w -> new LinkedHashMap<>()).putIfAbsent(e.getKey(), e.getValue());
                learn(e.getValue(), where + "/" + e.getKey());
            });
        } else if (node.isArray() && !node.isEmpty()) {
            learn(node.get(0), where + "/0");
        }
    }

    private void walk(JsonNode study, JsonNode node, String where, String key, List<Mutant> out) {
        if (!where.isEmpty()) {
            values(study, node, where, key, out);
        }
        if (node.isObject() && !"provenance".equals(key)) {
            out.add(change(Kind.UNKNOWN_KEY, study, where + "/zzz", yaml("[7]").get(0), n -> ((ObjectNode) n).put("zzz", 7)));
            keysAt.getOrDefault(where, Map.of()).forEach((k, v) -> {
                if (!node.has(k)) {
                    out.add(change(Kind.BORROWED_KEY, study, where + "/" + k, v, n -> ((ObjectNode) n).set(k, v.deepCopy())));
                }
            });
            List<String> fields = new ArrayList<>();
            node.fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                String at = where + "/" + f;
                out.add(change(Kind.MISSING_KEY, study, at, null, n -> ((ObjectNode) n).remove(f)));
                out.add(change(Kind.UNKNOWN_KEY, study, at + "x", null, n -> rename(n, f, f + "x")));
                if (!f.toUpperCase(Locale.ROOT).equals(f)) {
                    out.add(change(Kind.LETTER_CASE, study, at, null, n -> rename(n, f, f.toUpperCase(Locale.ROOT))));
                }
                walk(study, node.get(f), at, f, out);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            walk(study, node.get(0), where + "/0", key, out); // a study's lists hold one kind of item
        }
    }

    /** Other values at {@code where}, whose key in its mapping is {@code key}. */
    private void values(JsonNode study, JsonNode node, String where, String key, List<Mutant> out) {
        out.add(put(Kind.EMPTY_VALUE, study, where, yaml("[null]").get(0)));
        for (JsonNode other : valuesAt.getOrDefault(where, Set.of())) {
            if (!other.equals(node)) {
                out.add(put(Kind.BORROWED_VALUE, study, where, other));
            }
        }
        for (JsonNode other : TYPES) {
            if (other.getNodeType() != node.getNodeType()) {
                out.add(put(Kind.WRONG_TYPE, study, where, other));
            }
        }
        if (node.isNumber()) {
            numbers.forEach(n -> out.add(put(Kind.NUMBER, study, where, n)));
        }
        if (node.isTextual() && !FILE_KEYS.contains(key)) {
            TEXTS.forEach(t -> out.add(put(Kind.TEXT, study, where, t)));
            String upper = node.asText().toUpperCase(Locale.ROOT);
            if (!upper.equals(node.asText())) {
                out.add(put(Kind.LETTER_CASE, study, where, SchemaCheck.YAML.getNodeFactory().textNode(upper)));
            }
            for (List<String> kind : names) {
                if (kind.contains(node.asText())) {
                    kind.forEach(n -> out.add(put(Kind.TEXT, study, where, SchemaCheck.YAML.getNodeFactory().textNode(n))));
                }
            }
        }
        if (node.isArray()) {
            ArrayNode empty = SchemaCheck.YAML.createArrayNode();
            out.add(put(Kind.LIST, study, where, empty));
            if (!node.isEmpty()) {
                ArrayNode shorter = (ArrayNode) node.deepCopy();
                shorter.remove(shorter.size() - 1);
                out.add(put(Kind.LIST, study, where, shorter));
                ArrayNode twice = (ArrayNode) node.deepCopy();
                twice.add(node.get(0).deepCopy());
                out.add(put(Kind.LIST, study, where, twice));
            }
        }
    }

    private static Mutant put(Kind kind, JsonNode study, String where, JsonNode value) {
        int slash = where.lastIndexOf('/');
        String last = where.substring(slash + 1);
        return change(kind, study, where, value, parent -> {
            if (parent instanceof ObjectNode o) {
                o.set(last, value.deepCopy());
            } else {
                ((ArrayNode) parent).set(Integer.parseInt(last), value.deepCopy());
            }
        });
    }

    /** A copy of {@code study} with {@code edit} applied to the container of {@code where}. */
    private static Mutant change(Kind kind, JsonNode study, String where, JsonNode after, Consumer<JsonNode> edit) {
        JsonNode copy = study.deepCopy();
        edit.accept(copy.at(where.substring(0, where.lastIndexOf('/'))));
        return new Mutant(kind, where, after, copy);
    }

    private static void rename(JsonNode object, String from, String to) {
        ObjectNode o = (ObjectNode) object;
        ObjectNode renamed = SchemaCheck.YAML.createObjectNode();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            renamed.set(f.equals(from) ? to : f, o.get(f));
        }
        o.removeAll();
        o.setAll(renamed);
    }

    private static List<JsonNode> yaml(String list) {
        try {
            List<JsonNode> out = new ArrayList<>();
            SchemaCheck.YAML.readTree(list).forEach(out::add);
            return out;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
