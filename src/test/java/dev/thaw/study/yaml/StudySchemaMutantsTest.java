package dev.thaw.study.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated half of holding {@code search-spaces/study.schema.json} equal to the reader: every study of
 * {@link GoodStudies}, changed one key or value at a time by {@link StudyMutants} (some thousands of files, good and
 * bad), gets the same verdict from both, or differs for one of the {@link KnownDifference}s the schema names.
 */
class StudySchemaMutantsTest {
    @TempDir
    Path dir;

    /** The reader's bounds, from StudyFileReader and Hyperparameter (the schema's own are read from it). */
    private static final List<String> READER_BOUNDS = List.of("0", "0.5", "1", "2", "4", "9", "10", "20", "180", "255",
            "256", "1024", "65536", "1000000");

    /** Mutants of {@code studies} that lend each other keys and values, with numbers around every bound. */
    private static StudyMutants mutants(List<GoodStudies.Study> studies) throws Exception {
        Set<BigDecimal> bounds = new TreeSet<>();
        READER_BOUNDS.forEach(b -> bounds.add(new BigDecimal(b)));
        bounds(new ObjectMapper().readTree(new StudySchema().text()), bounds);
        List<JsonNode> trees = new ArrayList<>();
        for (GoodStudies.Study s : studies) {
            trees.add(SchemaCheck.YAML.readTree(s.text()));
        }
        return new StudyMutants(StudySchemaTest.NAMES, StudyMutants.around(bounds), trees);
    }

    private static void bounds(JsonNode schema, Set<BigDecimal> out) {
        schema.fields().forEachRemaining(e -> {
            if (e.getKey().matches("(exclusiveM|m)(inimum|aximum)")) {
                out.add(e.getValue().decimalValue());
            }
        });
        schema.forEach(child -> bounds(child, out));
    }

    @Test
    void theReaderAndTheSchemaGiveEveryMutantTheSameVerdict() throws Exception {
        GoodStudies good = new GoodStudies(dir);
        List<GoodStudies.Study> studies = new ArrayList<>(good.shipped());
        studies.addAll(good.readme());
        studies.addAll(good.fromTests());
        SchemaCheck check = new SchemaCheck();
        StudyMutants mutants = mutants(studies);

        Map<StudyMutants.Kind, Integer> refusedByBoth = new EnumMap<>(StudyMutants.Kind.class);
        Map<KnownDifference, Integer> known = new EnumMap<>(KnownDifference.class);
        List<String> unexplained = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> newKeysRefusedByBoth = new java.util.TreeMap<>(Map.of("/when", 0, "/search/tpe", 0,
                "/pruner", 0, "/cache", 0));
        int checked = 0;
        for (GoodStudies.Study study : studies) {
            JsonNode tree = SchemaCheck.YAML.readTree(study.text());
            // the same change in another study says nothing new, unless it is in the parts that depend on each other
            String context = tree.at("/data/format").asText() + " " + tree.at("/model/source").asText();
            for (StudyMutants.Mutant m : mutants.of(tree)) {
                boolean related = m.where().matches("/(data|model|objective)\\b.*");
                if (!seen.add((related ? context + " " : "") + m)) {
                    continue;
                }
                SchemaCheck.Verdict v = check.check(m.text());
                assertEquals(Optional.of(m.study()), v.tree(), "the mutant's text reads back as the mutant");
                checked++;
                if (v.agree()) {
                    if (!v.readerAccepts()) {
                        refusedByBoth.merge(m.kind(), 1, Integer::sum);
                        newKeysRefusedByBoth.replaceAll((at, n) -> m.where().contains(at) ? n + 1 : n);
                    }
                    continue;
                }
                Optional<KnownDifference> why = KnownDifference.explain(m, v);
                if (why.isPresent()) {
                    known.merge(why.get(), 1, Integer::sum);
                } else {
                    unexplained.add(study + ", " + m + "\n" + v);
                }
            }
        }
        System.out.printf("%d mutants of %d studies; refused by both: %s; known differences: %s%n", checked,
                studies.size(), refusedByBoth, known);
        assertTrue(unexplained.isEmpty(), "the reader and the schema disagree on " + unexplained.size()
                + " mutants, the first of them:\n\n" + String.join("\n\n", unexplained.subList(0,
                Math.min(20, unexplained.size()))));
        for (StudyMutants.Kind kind : List.of(StudyMutants.Kind.UNKNOWN_KEY, StudyMutants.Kind.WRONG_TYPE,
                StudyMutants.Kind.NUMBER, StudyMutants.Kind.TEXT, StudyMutants.Kind.MISSING_KEY,
                StudyMutants.Kind.EMPTY_VALUE, StudyMutants.Kind.LIST, StudyMutants.Kind.BORROWED_KEY,
                StudyMutants.Kind.BORROWED_VALUE)) {
            assertTrue(refusedByBoth.getOrDefault(kind, 0) > 0, kind + ": no mutant refused by both");
        }
        // the good studies hold conditions, TPE's settings, pruners and caches (StudyFileConditionsTest's,
        // StudyFilePrunerTest's and StudyFileCacheTest's), so mutants reach them
        newKeysRefusedByBoth.forEach((at, n) -> assertTrue(n >= 20, "mutants at " + at + " refused by both: " + n));
    }

    /** Mutants that are names of a kind are refused by both when the name is unknown: the enums agree value by value. */
    @Test
    void anUnknownNameIsRefusedByBothWhereverANameGoes() throws Exception {
        GoodStudies good = new GoodStudies(dir);
        SchemaCheck check = new SchemaCheck();
        StudyMutants mutants = mutants(good.shipped());
        int names = 0;
        for (GoodStudies.Study study : good.shipped()) {
            JsonNode tree = SchemaCheck.YAML.readTree(study.text());
            for (StudyMutants.Mutant m : mutants.of(tree)) {
                JsonNode before = tree.at(m.where());
                boolean isName = before.isTextual() && StudySchemaTest.NAMES.stream().anyMatch(
                        kind -> kind.contains(before.asText()));
                if (m.kind() == StudyMutants.Kind.TEXT && isName && m.after().asText().equals("zzz")) {
                    SchemaCheck.Verdict v = check.check(m.text());
                    assertTrue(!v.readerAccepts() && !v.schemaAccepts(), m + "\n" + v);
                    names++;
                }
            }
        }
        assertTrue(names >= 10, "unknown names tried: " + names);
    }
}
