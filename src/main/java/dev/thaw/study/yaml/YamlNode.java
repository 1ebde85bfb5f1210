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

    /**
     * A scalar: String, Long, Double, Boolean, or null; {@code text} is the scalar as written (without quotes), for
     * values that are names whatever YAML types them as (a class folder named {@code 1.50} or {@code no}).
     */
    record Scalar(Object value, String text, int line) implements YamlNode {
        public String kind() {
            if (value == null) {
                return "empty";
            }
            // as written: 1.50 stays 1.50, yes stays yes (not 1.5, true)
            return value instanceof String ? "text '" + value + "'" : "'" + (text == null ? value : text) + "'";
        }
    }
}
