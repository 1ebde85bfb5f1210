package dev.thaw.study.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Reads YAML text into {@link YamlNode}s that remember their line numbers; rejects duplicate keys. */
final class YamlTreeReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTreeReader() {
    }

    static YamlNode read(String text) throws StudyFileException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new StudyFileException("the study file is empty; start from search-spaces/reference.yaml");
            }
            return node(parser, "");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            // SnakeYAML's message spreads over lines, some only pointing at positions; keep the words.
            String msg = e.getOriginalMessage().lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("in '") && !l.startsWith("^"))
                    .collect(java.util.stream.Collectors.joining("; "));
            throw StudyFileException.at("", line, "malformed YAML: " + msg);
        } catch (IOException e) {
            throw new StudyFileException("cannot read the study file: " + e.getMessage());
        }
    }

    private static YamlNode node(JsonParser p, String path) throws IOException, StudyFileException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    p.nextToken();
                    YamlNode child = node(p, childPath);
                    if (entries.put(key, child) != null) {
                        throw StudyFileException.at(childPath, keyLine, "appears twice; keep one");
                    }
                }
                return new YamlNode.Mapping(entries, line);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(p, path + "[" + i++ + "]"));
                }
                return new YamlNode.Sequence(items, line);
            }
            case VALUE_NUMBER_INT -> {
                // beyond a long: kept as written, so the field's own check names it ("must be a whole number ...")
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new YamlNode.Scalar(p.getText(), p.getText(), line)
                        : new YamlNode.Scalar(p.getLongValue(), p.getText(), line);
            }
            case VALUE_NUMBER_FLOAT -> {
                String text = p.getText();
                // .nan and .inf are YAML floats Jackson will not convert: kept as text, refused by the field's check
                return text.matches("[-+]?\\.(?i:nan|inf)")
                        ? new YamlNode.Scalar(text, text, line)
                        : new YamlNode.Scalar(p.getDoubleValue(), text, line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode.Scalar(t == JsonToken.VALUE_TRUE, p.getText(), line);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(null, p.getText(), line);
            }
            default -> {
                return new YamlNode.Scalar(p.getText(), p.getText(), line);
            }
        }
    }
}
