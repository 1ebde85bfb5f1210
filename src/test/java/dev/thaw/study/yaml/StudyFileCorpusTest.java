package dev.thaw.study.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A generated corpus of damaged study files (issue 10, case 9): every value of the shipped studies replaced by wrong
 * types, nulls, extremes and control characters; every key dropped; unknown keys added; the YAML itself cut and
 * scrambled. Each must parse, or be refused with one line naming the problem: never another exception, never a
 * message of several lines, never a blank one.
 */
class StudyFileCorpusTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<Path> SHIPPED = List.of(Path.of("search-spaces/reference.yaml"),
            Path.of("search-spaces/fashion-transfer.yaml"), Path.of("search-spaces/fashion-asha.yaml"));

    /** Values that are wrong somewhere: wrong types, nulls, extremes, control characters, empty collections. */
    private static List<JsonNode> badValues() {
        return List.of(F.nullNode(), F.textNode(""), F.textNode("nonsense"), F.numberNode(-1), F.numberNode(0),
                F.numberNode(Long.MAX_VALUE), F.numberNode(Long.MIN_VALUE), F.numberNode(1e308), F.numberNode(-1e-320),
                F.numberNode(Double.NaN), F.numberNode(Double.POSITIVE_INFINITY), F.booleanNode(true),
                F.textNode("a\u0000b"), F.textNode("line\nbreak"), F.textNode("\u001b[31mred"), F.textNode("  "),
                F.arrayNode(), F.arrayNode().add(1).add("x"), F.objectNode(), F.objectNode().put("type", "float"),
                F.numberNode(new java.math.BigInteger("123456789012345678901234567890")), F.numberNode(2.5));
    }

    /** Every path to a value in the tree: object fields and array items. */
    private static void paths(JsonNode node, List<String> prefix, List<List<String>> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(k -> {
                List<String> p = new ArrayList<>(prefix);
                p.add(k);
                out.add(p);
                paths(node.get(k), p, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<String> p = new ArrayList<>(prefix);
                p.add("#" + i);
                out.add(p);
                paths(node.get(i), p, out);
            }
        }
    }

    /** A copy of {@code root} with {@code change} applied to the container of the last step of {@code path}. */
    private static JsonNode edited(JsonNode root, List<String> path, JsonNode value, boolean drop) {
        JsonNode copy = root.deepCopy();
        JsonNode parent = copy;
        for (String step : path.subList(0, path.size() - 1)) {
            parent = step.startsWith("#") ? parent.get(Integer.parseInt(step.substring(1))) : parent.get(step);
        }
        String last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode o) {
            if (drop) {
                o.remove(last);
            } else {
                o.set(last, value);
            }
        } else if (parent instanceof ArrayNode a) {
            int i = Integer.parseInt(last.substring(1));
            if (drop) {
                a.remove(i);
            } else {
                a.set(i, value);
            }
        }
        return copy;
    }

    /** The corpus: about 500 study texts, generated from the shipped studies with a fixed seed. */
    static List<String> corpus() throws Exception {
        List<String> out = new ArrayList<>();
        Random random = new Random(10);
        for (Path file : SHIPPED) {
            String text = Files.readString(file);
            JsonNode root = YAML.readTree(text);
            List<List<String>> paths = new ArrayList<>();
            paths(root, List.of(), paths);
            List<JsonNode> values = badValues();
            for (List<String> p : paths) {
                out.add(YAML.writeValueAsString(edited(root, p, null, true)));
                for (int k = 0; k < 2; k++) {
                    out.add(YAML.writeValueAsString(edited(root, p, values.get(random.nextInt(values.size())), false)));
                }
                if (root.at("/" + String.join("/", p)).isObject()) {
                    JsonNode withUnknown = root.deepCopy();
                    ((ObjectNode) withUnknown.at("/" + String.join("/", p))).put("unexpected_key", 1);
                    out.add(YAML.writeValueAsString(withUnknown));
                }
            }
            for (int k = 0; k < 30; k++) { // damaged YAML: cut anywhere, or a character put anywhere
                int at = random.nextInt(text.length());
                out.add(text.substring(0, at));
                String junk = List.of("\t", ":", "[", "{", "\"", "'", "- ", "&a ", "*a", "!!binary ", "\u0000", "%")
                        .get(random.nextInt(12));
                out.add(text.substring(0, at) + junk + text.substring(at));
            }
        }
        out.add("");
        out.add("   \n");
        out.add("[1, 2]");
        out.add("just text");
        out.add("name: x\nname: y\n");
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyDamagedStudyGetsAOneLineAnswer() throws Exception {
        List<String> corpus = corpus();
        assertTrue(corpus.size() > 450, "a corpus of about 500 files, got " + corpus.size());
        StudyFileReader reader = new StudyFileReader();
        return java.util.stream.IntStream.range(0, corpus.size()).mapToObj(i -> DynamicTest.dynamicTest(
                "mutant " + i, () -> {
                    String text = corpus.get(i);
                    try {
                        reader.parse(text);
                    } catch (StudyFileException e) {
                        assertOneLine(e.getMessage(), text);
                    } catch (RuntimeException e) {
                        fail("not a clean answer: " + e + "\n--- study file ---\n" + text);
                    }
                }));
    }

    static void assertOneLine(String message, String text) {
        assertFalse(message == null || message.isBlank(), "a blank message for:\n" + text);
        assertFalse(message.contains("\n") || message.contains("\r"), "several lines: " + message);
        assertTrue(message.chars().noneMatch(c -> Character.isISOControl(c)), "a control character in: " + message);
    }

    /** A sample of the corpus through the real command: exit 2 with one line on stderr, or valid. */
    @Test
    void theValidateCommandAnswersEveryMutantInOneLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<String> corpus = corpus();
        for (int i = 0; i < corpus.size(); i += 23) {
            Path file = dir.resolve("mutant-" + i + ".yaml");
            Files.writeString(file, corpus.get(i));
            dev.thaw.testing.Cli validate = dev.thaw.testing.Cli.run("validate", file.toString());
            assertTrue(validate.exit() == 2 || validate.exit() == 0, "mutant " + i + ": " + validate);
            if (validate.exit() == 2) {
                assertTrue(validate.err().startsWith("error: ") && validate.err().strip().lines().count() == 1,
                        "mutant " + i + ": " + validate);
                assertOneLine(validate.err().strip(), corpus.get(i));
            }
        }
    }

    @Test
    void theCorpusIsTheSameEveryRun() throws Exception {
        assertTrue(corpus().equals(corpus()), "generated from a fixed seed");
    }
}
