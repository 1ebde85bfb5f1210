package dev.thaw.train.cache;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FeatureKey} as the JSON object in an entry's header, so that the header says in readable text what the
 * entry holds: {@code {"source":"...","source_fingerprint":"...",...,"image_size":96,...}}. Written with every
 * character outside printable ASCII escaped; read back by a reader that takes exactly that form (a flat object of
 * strings and one integer) and refuses anything else.
 */
final class KeyJson {
    static final List<String> NAMES = List.of("source", "source_fingerprint", "data", "split", "preprocess",
            "image_size", "boundary", "input_fingerprint");
    private static final int IMAGE_SIZE = NAMES.indexOf("image_size");

    private KeyJson() {
    }

    static String write(FeatureKey key) {
        StringBuilder b = new StringBuilder("{");
        List<String> values = key.fields();
        for (int i = 0; i < NAMES.size(); i++) {
            b.append(i == 0 ? "" : ",").append('"').append(NAMES.get(i)).append("\":");
            if (i == IMAGE_SIZE) {
                b.append(values.get(i));
            } else {
                string(b, values.get(i));
            }
        }
        return b.append('}').toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    /** The key in {@code json}, or an IllegalArgumentException saying what is wrong with it. */
    static FeatureKey read(String json) {
        Reader r = new Reader(json);
        Map<String, String> fields = new LinkedHashMap<>();
        r.expect('{');
        while (fields.size() < NAMES.size()) {
            if (!fields.isEmpty()) {
                r.expect(',');
            }
            String name = r.string();
            r.expect(':');
            String value = name.equals("image_size") ? r.integer() : r.string();
            if (!NAMES.contains(name) || fields.put(name, value) != null) {
                throw new IllegalArgumentException("unexpected or repeated field '" + name + "'");
            }
        }
        r.expect('}');
        r.end();
        return new FeatureKey(fields.get("source"), fields.get("source_fingerprint"), fields.get("data"),
                fields.get("split"), fields.get("preprocess"), Integer.parseInt(fields.get("image_size")),
                fields.get("boundary"), fields.get("input_fingerprint"));
    }

    private static final class Reader {
        private final String s;
        private int at;

        Reader(String s) {
            this.s = s;
        }

        void expect(char c) {
            if (at >= s.length() || s.charAt(at) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at character " + at);
            }
            at++;
        }

        void end() {
            if (at != s.length()) {
                throw new IllegalArgumentException("text after the object at character " + at);
            }
        }

        String integer() {
            int from = at;
            while (at < s.length() && at - from < 10 && Character.isDigit(s.charAt(at))) {
                at++;
            }
            if (at == from) {
                throw new IllegalArgumentException("expected a number at character " + at);
            }
            return s.substring(from, at);
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (at >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(at++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                } else if (at < s.length() && (s.charAt(at) == '"' || s.charAt(at) == '\\')) {
                    b.append(s.charAt(at++));
                } else if (at + 5 <= s.length() && s.charAt(at) == 'u') {
                    b.append((char) Integer.parseInt(s.substring(at + 1, at + 5), 16));
                    at += 5;
                } else {
                    throw new IllegalArgumentException("bad escape at character " + at);
                }
            }
        }
    }
}
