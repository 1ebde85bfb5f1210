package dev.thaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.search.SamplerFactory;
import dev.thaw.search.SearchSpace;
import dev.thaw.store.Database;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;
import dev.thaw.study.TrialState;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.testing.Cli;
import dev.thaw.testing.ConditionalStudy;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user sees of conditional parameters on the command line: {@code validate} prints the conditions in force,
 * warns of a parameter that is never active and counts a grid's distinct trainings; {@code trials} shows an inactive
 * parameter as an empty cell and leaves it out of the JSON; {@code export} leaves it out of the exported study, which
 * runs again.
 */
class ConditionalParametersTest {
    @TempDir
    Path dir;

    private Path study(String name, String search, String space) throws Exception {
        Fixture f = Fixture.get();
        String text = StudyFiles.replaceSection(StudyFiles.replaceSection(StudyFiles.tiny(name, f.data, f.sourceModel,
                dir.resolve("results"), 4, 1), "search", search), "space", space);
        return Files.writeString(dir.resolve(name + ".yaml"), text);
    }

    /** The example: 2 × 2 × 2 × 2 cells; adam has no momentum and depth 0 no head-only epochs, so 9 differ. */
    @Test
    void validatePrintsTheConditionsAndTheGridsDistinctTrainings() throws Exception {
        Path grid = study("grid", """
                search:
                  algorithm: grid
                  trials: 16
                """, """
                space:
                  optimizer: {type: choice, values: [adam, nesterovs]}
                  momentum: {type: choice, values: [0.5, 0.9]}
                  unfreeze_depth: {type: choice, values: [0, 1]}
                  head_epochs: {type: choice, values: [0, 1]}
                """);
        Cli validate = Cli.run("validate", grid.toString());
        assertEquals(0, validate.exit(), validate.toString());
        List<String> lines = validate.out().lines().toList();
        assertTrue(lines.get(0).contains("is valid: study 'grid', grid search over optimizer, momentum, unfreeze_depth, "
                + "head_epochs, 16 trials x 1 epoch"), validate.out());
        assertEquals("conditions: momentum only when optimizer = nesterovs (Thaw's own: only nesterovs uses momentum); "
                + "head_epochs only when unfreeze_depth >= 1 (Thaw's own: with nothing thawed there is no head-only "
                + "phase)", lines.get(1));
        assertEquals("grid: 16 cells, 9 distinct trainings (cells that differ only in inactive parameters run once)",
                lines.get(2));
        assertEquals("cache: features auto in " + dir.resolve("results/cache") + ", at most 10 GB", lines.get(3));
        assertTrue(lines.get(4).startsWith("images: 2 classes"), validate.out());
        assertEquals("", validate.err());
    }

    @Test
    void validateMarksDeclaredConditionsAndWarnsOfParametersNeverActive() throws Exception {
        Path declared = study("declared", """
                search:
                  algorithm: random
                  trials: 4
                """, """
                space:
                  optimizer: adam
                  momentum: {type: float, low: 0.5, high: 0.99}
                  head_layers: {type: int, low: 0, high: 2}
                  head_units: {type: choice, values: [8, 16], when: {head_layers: {min: 1}}}
                  weight_decay: {type: float, low: 0.0, high: 0.01, when: {momentum: {min: 0.9}, head_layers: 2}}
                """);
        Cli validate = Cli.run("validate", declared.toString());
        assertEquals(0, validate.exit(), validate.toString());
        assertTrue(validate.out().contains("\nconditions: momentum only when optimizer = nesterovs (Thaw's own: only "
                + "nesterovs uses momentum); head_units only when head_layers >= 1 (declared); weight_decay only when "
                + "momentum >= 0.9, head_layers = 2 (declared)\n"), validate.out());
        assertFalse(validate.out().contains("grid:"), "only a grid has cells");
        assertEquals(List.of("warning: momentum is never active: it needs optimizer = nesterovs (Thaw's own: only "
                        + "nesterovs uses momentum), and the space fixes optimizer at adam; search optimizer with such "
                        + "a value, or take momentum out of the space",
                "warning: weight_decay is never active: it needs momentum >= 0.9 (declared), and momentum is never "
                        + "active; make momentum active, or take weight_decay out of the space"),
                validate.err().lines().toList());
    }

    /**
     * A condition that names single values of a float range holds almost never outside a grid (a draw from a
     * continuum hits a point with probability 0); validate said nothing of it. A grid whose cells are all one training
     * says so in the singular.
     */
    @Test
    void aConditionOnSingleValuesOfAFloatRangeIsWarnedOf() throws Exception {
        String space = """
                space:
                  dropout: {type: float, low: 0.0, high: 0.5}
                  head_layers: {type: int, low: 0, high: 1, when: {dropout: 0.25}}
                  weight_decay: {type: choice, values: [0.0, 0.01], when: {dropout: {min: 0.1, max: 0.1}}}
                  lr_schedule: {type: choice, values: [none, cosine], when: {dropout: {min: 0.1}}}
                """;
        Cli random = Cli.run("validate", study("points", """
                search:
                  algorithm: tpe
                  trials: 4
                """, space).toString());
        assertEquals(0, random.exit(), random.toString());
        assertEquals(List.of("warning: head_layers is almost never active: it needs dropout = 0.25 (declared), single "
                        + "values of dropout, which tpe search draws from the range [0.0, 0.5]; name a range like "
                        + "{min: M, max: N} in the condition, or make dropout a choice",
                "warning: weight_decay is almost never active: it needs dropout in [0.1, 0.1] (declared), single values "
                        + "of dropout, which tpe search draws from the range [0.0, 0.5]; name a range like {min: M, "
                        + "max: N} in the condition, or make dropout a choice"), random.err().lines().toList());
        Cli grid = Cli.run("validate", study("points-grid", """
                search:
                  algorithm: grid
                  trials: 4
                """, """
                space:
                  dropout: {type: float, low: 0.0, high: 0.5}
                  head_layers: {type: int, low: 0, high: 1, when: {dropout: 0.25}}
                  optimizer: adam
                  momentum: {type: choice, values: [0.5, 0.9]}
                """).toString());
        assertEquals(0, grid.exit(), grid.toString());
        assertTrue(grid.out().contains("\ngrid: 12 cells, 4 distinct trainings (cells"), grid.out());
        assertFalse(grid.err().contains("almost never"), "a grid's points are counted, not warned of: " + grid.err());
        Cli one = Cli.run("validate", study("one-training", """
                search:
                  algorithm: grid
                  trials: 4
                """, """
                space:
                  optimizer: adam
                  momentum: {type: choice, values: [0.5, 0.9]}
                """).toString());
        assertTrue(one.out().contains("\ngrid: 2 cells, 1 distinct training (cells"), one.out());
    }

    /** A study file's condition and Thaw's own on one parameter: both shown, and when they contradict, a warning. */
    @Test
    void aDeclaredConditionBesideThawsOwnIsShownWithIt() throws Exception {
        Path both = study("both", """
                search:
                  algorithm: random
                  trials: 4
                """, """
                space:
                  optimizer: {type: choice, values: [sgd, nesterovs]}
                  momentum: {type: float, low: 0.5, high: 0.99, when: {optimizer: sgd}}
                  unfreeze_depth: {type: int, low: 0, high: 1}
                  head_epochs: {type: int, low: 0, high: 2, when: {unfreeze_depth: {min: 1}}}
                """);
        Cli validate = Cli.run("validate", both.toString());
        assertEquals(0, validate.exit(), validate.toString());
        assertTrue(validate.out().contains("\nconditions: momentum only when optimizer = sgd (declared) and optimizer = "
                + "nesterovs (Thaw's own: only nesterovs uses momentum); head_epochs only when unfreeze_depth >= 1 "
                + "(declared, and Thaw's own: with nothing thawed there is no head-only phase)\n"), validate.out());
        assertEquals("warning: momentum is never active: it needs optimizer = sgd (declared) and optimizer = nesterovs "
                + "(Thaw's own: only nesterovs uses momentum), and the space gives optimizer no such value; search "
                + "optimizer with such a value, or take momentum out of the space", validate.err().strip());
    }

    /** The grid's cells, which validate prints, are counted as Arbiter's grid search makes them: here, where no cell is inactive, the walk. */
    @Test
    void theGridsCellsAreArbitersCells() {
        Map<String, ParamSpec> space = new LinkedHashMap<>();
        space.put("learning_rate", new ParamSpec.FloatParam(1e-4, 1e-1, true));
        space.put("batch_size", new ParamSpec.IntParam(8, 100, 1));       // wide: cut into grid_points
        space.put("unfreeze_depth", new ParamSpec.IntParam(0, 1, 1));     // narrower than grid_points: 2
        space.put("head_layers", new ParamSpec.IntParam(0, 4, 2));        // stepped: each of 0, 2, 4
        space.put("optimizer", new ParamSpec.ChoiceParam(List.of("sgd", "adam")));
        space.put("dropout", new ParamSpec.FixedParam(0.1));
        for (int points : List.of(2, 3, 5)) {
            SearchSpec grid = new SearchSpec(SearchSpec.Algorithm.GRID, 1, 1, Optional.empty(), points);
            long walked = new SamplerFactory().effectiveGridSize(grid, SearchSpace.of(space));
            assertEquals(walked, grid.gridCells(space.values()), "grid_points " + points);
        }
        assertEquals(3L * 3 * 2 * 3 * 2, new SearchSpec(SearchSpec.Algorithm.GRID, 1, 1, Optional.empty(), 3)
                .gridCells(space.values()));
    }

    @Test
    void trialsShowAnInactiveParameterAsAnEmptyCellAndLeaveItOutOfTheJson() throws Exception {
        Path results = dir.resolve("results");
        try (Database db = Database.open(Database.fileUrl(results))) {
            ConditionalStudy.create(db, Fixture.get(), results);
        }
        Cli table = Cli.run("trials", ConditionalStudy.NAME, "--results", results.toString());
        assertEquals(0, table.exit(), table.toString());
        List<String> lines = table.out().lines().toList();
        String header = lines.get(1);
        assertEquals("", cell(header, lines.get(2), "momentum"), table.out());
        assertEquals("", cell(header, lines.get(2), "head_units"), table.out());
        assertEquals("adam", cell(header, lines.get(2), "optimizer"));
        assertEquals("0.5000", cell(header, lines.get(3), "momentum"));
        assertEquals("8", cell(header, lines.get(3), "head_units"));
        assertEquals("0.9000", cell(header, lines.get(4), "momentum"));
        assertFalse(table.out().contains("null"), table.out());

        Cli json = Cli.run("trials", ConditionalStudy.NAME, "--json", "--results", results.toString());
        assertEquals(0, json.exit(), json.toString());
        JsonNode trials = new ObjectMapper().readTree(json.out()).get("trials");
        JsonNode first = trials.get(0).get("params");
        assertEquals(1, trials.get(0).get("number").asInt());
        assertFalse(first.has("momentum") || first.has("head_units"), "an inactive parameter is left out: " + first);
        assertEquals("adam", first.get("optimizer").asText());
        assertEquals(0.5, trials.get(1).get("params").get("momentum").asDouble());
        assertEquals(8, trials.get(1).get("params").get("head_units").asInt());
    }

    /** The text of the cell of {@code column} in {@code row}: the table pads every column to one width. */
    private static String cell(String header, String row, String column) {
        int from = header.indexOf("  " + column + " ") + 2;
        assertTrue(from > 1, column + " in " + header);
        int to = header.indexOf(header.substring(from).replaceFirst("^\\S+\\s+", ""), from);
        return (row + " ".repeat(header.length())).substring(from, to).strip();
    }

    /** The best trial has no momentum and no head_units: the export leaves them out, validates and runs again. */
    @Test
    void theExportLeavesOutWhatTheBestTrialDidNotUseAndRunsAgain() throws Exception {
        Path results = dir.resolve("results");
        try (Database db = Database.open(Database.fileUrl(results))) {
            ConditionalStudy.create(db, Fixture.get(), results);
        }
        Path best = dir.resolve("best.yaml");
        Cli export = Cli.run("export", ConditionalStudy.NAME, "--out", best.toString(), "--results", results.toString());
        assertEquals(0, export.exit(), export.toString());
        String text = Files.readString(best);
        assertFalse(text.contains("momentum") || text.contains("head_units") || text.contains("when"), text);
        StudySpec exported = new StudyFileReader().parse(text);
        assertEquals(new ParamSpec.FixedParam("adam"), exported.space().get("optimizer"));
        assertEquals(new ParamSpec.FixedParam(0), exported.space().get("head_layers"));
        assertEquals(new ParamSpec.FixedParam(0.01), exported.space().get("learning_rate"));
        assertTrue(exported.searched().isEmpty() && exported.when().isEmpty(), exported.space().toString());

        Cli validate = Cli.run("validate", best.toString());
        assertEquals(0, validate.exit(), validate.toString());
        List<TrialRecord> rerun = Cli.runAllComplete(best, results, ConditionalStudy.NAME + "-best", 1);
        assertEquals(Map.of("learning_rate", 0.01, "optimizer", "adam", "head_layers", 0, "batch_size", 32,
                "dropout", 0.0, "unfreeze_depth", 0), rerun.get(0).assignment().values());
    }

    @Test
    void aRealGridRunsEachDistinctTrainingOnceAndStoresNoInactiveParameter() throws Exception {
        Fixture f = Fixture.get();
        Path results = dir.resolve("results");
        Path study = dir.resolve("cond.yaml");
        String text = StudyFiles.tiny("cond", f.data, f.sourceModel, results, 16, 1)
                .replace("algorithm: random", "algorithm: grid");
        text = StudyFiles.replaceSection(text, "space", """
                space:
                  learning_rate: 0.01
                  batch_size: 8
                  dropout: 0.1
                  optimizer: {type: choice, values: [adam, nesterovs]}
                  momentum: {type: choice, values: [0.5, 0.9]}
                  unfreeze_depth: {type: choice, values: [0, 1]}
                  head_epochs: {type: choice, values: [0, 1]}
                """);
        Files.writeString(study, text);
        Cli run = Cli.run("run", study.toString());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("exhausted after 9 trials") || run.err().contains("exhausted after 9 trials"),
                run.toString());

        List<TrialRecord> trials = new StudyDb(Database.fileUrl(results)).trials("cond");
        assertEquals(9, trials.size(), trials.toString());
        assertEquals(9, new HashSet<>(trials.stream().map(TrialRecord::assignment).toList()).size(),
                "no two trials train the same: " + trials);
        for (TrialRecord t : trials) {
            assertEquals(TrialState.COMPLETE, t.state(), t.toString());
            var values = t.assignment().values();
            assertEquals("nesterovs".equals(values.get("optimizer")), values.containsKey("momentum"), values.toString());
            assertEquals(((Number) values.get("unfreeze_depth")).intValue() >= 1, values.containsKey("head_epochs"),
                    values.toString());
        }

        Cli listed = Cli.run("trials", "cond", "--results", results.toString());
        assertEquals(0, listed.exit(), listed.toString());
        assertFalse(listed.out().contains("null"), "an inactive parameter shows empty:\n" + listed.out());
    }
}
