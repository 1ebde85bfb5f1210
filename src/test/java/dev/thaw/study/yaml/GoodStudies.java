package dev.thaw.study.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.thaw.testing.StudyFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The whole studies Thaw ships and shows, and the study texts its tests write, each with the files it names made in a
 * folder so that today's reader, which checks that they exist, can read it: the shipped studies in
 * {@code search-spaces/}, the README's whole-study examples, and every Java text block under {@code src/test/java}
 * that is a study (starts with {@code name:}) or a {@code model:} / {@code data:} section the tests put into the tiny
 * study of {@link StudyFiles} (as {@code DataFormatsTest} and {@code ModelSourcesTest} do). Placeholders in the
 * tests' texts are filled by the key they stand for: {@code %s} after a file key gets a file, after {@code name} a
 * name; {@code %d} gets 2. A test's text block meant to be a bad study should start with a comment line, so that it
 * is not taken for a good one.
 */
final class GoodStudies {
    /** A study text and where it came from. */
    record Study(String origin, String text) {
        @Override
        public String toString() {
            return origin;
        }
    }

    private static final Pattern FILE_VALUE = Pattern.compile("(^|[\\s{,])(path|train_images|train_labels|test_images"
            + "|test_labels|dir|train_dir|test_dir):([ \\t]+)(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s,}#]+)", Pattern.MULTILINE);
    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"[ \\t]*\\n(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern SECTION = Pattern.compile("(model|data):\\n(  .*\\n|\\n)*");
    /** This test's own classes, whose texts are meant to be bad. */
    private static final List<String> OWN = List.of("GoodStudies.java", "SchemaCheck.java", "StudyMutants.java",
            "StudySchemaTest.java", "StudySchemaMutantsTest.java");

    private final Path train;
    private final Path test;
    private final Map<String, Path> files;

    /** Makes the files every study here may name in {@code dir}. */
    GoodStudies(Path dir) {
        try {
            Path cifar = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
            Files.writeString(cifar.resolve("data_batch_1.bin"), "x");
            Files.writeString(cifar.resolve(dev.thaw.study.ImageSource.Cifar10.TEST_BATCH), "x");
            train = Files.createDirectories(dir.resolve("train"));
            test = Files.createDirectories(dir.resolve("test"));
            subFolders(List.of("ants", "bees"));
            Path model = Files.writeString(dir.resolve("model.zip"), "x");
            Path images = Files.writeString(dir.resolve("images.gz"), "x");
            Path labels = Files.writeString(dir.resolve("labels.gz"), "x");
            files = Map.of("path", model, "train_images", images, "test_images", images, "train_labels", labels,
                    "test_labels", labels, "dir", cifar, "train_dir", train, "test_dir", test);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The studies in {@code search-spaces/}. */
    List<Study> shipped() throws IOException {
        try (Stream<Path> all = Files.list(Path.of("search-spaces"))) {
            List<Study> out = new ArrayList<>();
            for (Path p : all.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(new Study(p.toString(), ground(Files.readString(p), p.toString())));
            }
            return out;
        }
    }

    /** The README's fenced blocks that are whole studies (a mapping with name and space). */
    List<Study> readme() throws IOException {
        List<Study> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().startsWith("```")) {
                continue;
            }
            int start = i;
            StringBuilder block = new StringBuilder();
            while (++i < lines.size() && !lines.get(i).strip().startsWith("```")) {
                block.append(lines.get(i)).append('\n');
            }
            String text = block.toString().stripIndent();
            if (isStudy(text)) {
                out.add(new Study("README.md block at line " + (start + 1), ground(text, "README.md")));
            }
        }
        return out;
    }

    private static boolean isStudy(String text) {
        try {
            JsonNode tree = SchemaCheck.YAML.readTree(text);
            return tree != null && tree.isObject() && tree.has("name") && tree.has("space");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Every study text block under {@code src/test/java}, and the tiny study with each section block put in. */
    List<Study> fromTests() throws IOException {
        List<Study> whole = new ArrayList<>();
        List<Study> sections = new ArrayList<>();
        Study tiny = null;
        try (Stream<Path> all = Files.walk(Path.of("src/test/java"))) {
            for (Path p : all.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                if (OWN.contains(p.getFileName().toString())) {
                    continue;
                }
                String source = Files.readString(p);
                Matcher m = TEXT_BLOCK.matcher(source);
                while (m.find()) {
                    String text = m.group(1).stripIndent().translateEscapes();
                    String origin = p + " text block at line " + source.substring(0, m.start()).lines().count();
                    if (text.startsWith("name:")) {
                        Study study = new Study(origin, ground(text, origin));
                        whole.add(study);
                        if (p.getFileName().toString().equals("StudyFiles.java")) {
                            tiny = study;
                        }
                    } else if (SECTION.matcher(text).matches()) {
                        sections.add(new Study(origin, text));
                    }
                }
            }
        }
        if (tiny == null) {
            throw new IllegalStateException("StudyFiles.java holds no study text block; GoodStudies looks for it there");
        }
        List<Study> out = new ArrayList<>(whole);
        for (Study s : sections) {
            String key = s.text().substring(0, s.text().indexOf(':'));
            out.add(new Study(tiny.origin() + " with the " + key + " section of " + s.origin(),
                    ground(StudyFiles.replaceSection(tiny.text(), key, s.text()), s.origin())));
        }
        return out;
    }

    /**
     * {@code text} with every file it names replaced by one made here (placeholders too), the other placeholders
     * filled, and a sub-folder made for each class an image-folder study lists.
     */
    String ground(String text, String origin) {
        Matcher m = FILE_VALUE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + ":" + m.group(3)
                    + files.get(m.group(2))));
        }
        m.appendTail(out);
        String filled = out.toString().replace("%d", "2").replaceAll("(?m)^name: %s$", "name: from-a-test");
        if (filled.contains("%s")) {
            throw new IllegalStateException(origin + ": a %s placeholder whose key GoodStudies does not know; teach "
                    + "ground() what it stands for:\n" + filled);
        }
        try {
            JsonNode data = SchemaCheck.YAML.readTree(filled).path("data");
            if (data.path("format").asText().equals("folder") && data.path("classes").isArray()) {
                List<String> names = new ArrayList<>();
                data.path("classes").forEach(c -> names.add(c.asText()));
                subFolders(names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(origin + " is not YAML", e);
        }
        return filled;
    }

    private void subFolders(List<String> names) throws IOException {
        for (String name : names) {
            Files.createDirectories(train.resolve(name));
            Files.createDirectories(test.resolve(name));
        }
    }
}
