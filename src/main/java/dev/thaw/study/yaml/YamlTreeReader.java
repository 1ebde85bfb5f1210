package dev.thaw.study.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads YAML text into {@link YamlNode}s that remember their line numbers; rejects duplicate keys, aliases, nesting
 * deeper than a study file's and text longer than {@link StudyFileReader#MAX_SIZE}, each before reading further.
 */
final class YamlTreeReader {
    /** Mappings and lists inside one another; a study file needs 4 ({@code space.p.values[0]}). */
    static final int MAX_DEPTH = 16;
    private static final YAMLFactory FACTORY = factory();

    private YamlTreeReader() {
    }

    private static YAMLFactory factory() {
        YAMLFactoryBuilder builder = YAMLFactory.builder().loaderOptions(loaderOptions());
        for (YAMLParser.Feature f : YAMLParser.Feature.values()) {
            if (f.enabledByDefault()) { // the builder starts without them, unlike new YAMLFactory()
                builder.enable(f);
            }
        }
        return builder.build();
    }

    /**
     * SnakeYAML's limit on the text, as a second guard behind {@link #read}'s (it counts code points, at most one
     * per char). Its alias and nesting limits act only where SnakeYAML builds a tree, which Jackson's event parser
     * never does: {@link #node} refuses aliases and deep nesting itself.
     */
    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(StudyFileReader.MAX_SIZE + 1);
        return options;
    }

    static YamlNode read(String text) throws StudyFileException {
        if (text.length() > StudyFileReader.MAX_SIZE) { // refused before the YAML parser sees it
            throw new StudyFileException(String.format(java.util.Locale.ROOT, "the study file is %,d characters, over "
                    + "the limit of %,d for a study file (they are a few KB); check that it is the right file",
                    text.length(), StudyFileReader.MAX_SIZE));
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new StudyFileException("the study file is empty; start from search-spaces/reference.yaml");
            }
            return node(parser, "", 0);
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

    private static YamlNode node(JsonParser p, String path, int depth) throws IOException, StudyFileException {
        int line = p.currentTokenLocation().getLineNr();
        JsonToken t = p.currentToken();
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            // the parser hands an alias over as its anchor's name; its value is never expanded, nor meant
            throw StudyFileException.at(path, line, "is the alias *" + yaml.getText() + "; a study file takes no "
                    + "YAML aliases (&name and *name): write the value out");
        }
        if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth >= MAX_DEPTH) {
            throw StudyFileException.at(path, line, "nests mappings or lists " + MAX_DEPTH + " deep; a study file "
                    + "needs at most 4 (space.<parameter>.values[i]): check its indentation and brackets");
        }
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    p.nextToken();
                    YamlNode child = node(p, childPath, depth + 1);
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
                    items.add(node(p, path + "[" + i++ + "]", depth + 1));
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
