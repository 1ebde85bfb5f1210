package dev.thaw.study.yaml;

import java.util.LinkedHashMap;
import java.util.List;

/** A YAML value with the line it starts on, so that validation errors can point at it. */
sealed interface YamlNode {
    int line();

    /** A short name of the node's kind for error messages. */
    String kind();

    record Mapping(LinkedHashMap<String, YamlNode> entries, int line) implements YamlNode {
        public String kind() {
            return "a mapping";
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        public String kind() {
            return "a list";
        }
    }

    /** A scalar: String, Long, Double, Boolean, or null. */
    record Scalar(Object value, int line) implements YamlNode {
        public String kind() {
            if (value == null) {
                return "empty";
            }
            return value instanceof String ? "text '" + value + "'" : "'" + value + "'";
        }
    }
}
