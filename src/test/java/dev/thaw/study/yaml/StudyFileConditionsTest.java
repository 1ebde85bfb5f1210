package dev.thaw.study.yaml;

import dev.thaw.study.Condition;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A study file's {@code when:} on parameters and {@code search.tpe}: read, refused, written back, identified. */
class StudyFileConditionsTest {
    @TempDir
    Path dir;
    private String conditional;
    private final StudyFileReader reader = new StudyFileReader();
    private final StudyFileWriter writer = new StudyFileWriter();

    @BeforeEach
    void files() throws IOException {
        for (String f : List.of("ti.gz", "tl.gz", "model.zip")) {
            Files.writeString(dir.resolve(f), "x");
        }
        conditional = """
                name: conditional
                model:
                  source: builtin
                  path: %s
                data:
                  format: idx
                  train_images: %s
                  train_labels: %s
                  classes: [5, 6, 7]
                objective:
                  metric: val_accuracy
                search:
                  algorithm: tpe
                  trials: 20
                  tpe: {startup_trials: 5, gamma: 0.25, candidates: 12, multivariate: true}
                budget:
                  epochs: 2
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
                  optimizer: {type: choice, values: [adam, nesterovs, sgd]}
                  unfreeze_depth: {type: int, low: 0, high: 3}
                  momentum: {type: float, low: 0.5, high: 0.99, when: {optimizer: nesterovs}}
                  backbone_lr_factor: {type: float, low: 0.01, high: 1, log: true, when: {unfreeze_depth: {min: 1}}}
                  head_layers: {type: int, low: 0, high: 2}
                  head_units: {type: choice, values: [32, 64], when: {head_layers: {min: 1, max: 2}}}
                  weight_decay: {type: fixed, value: 1.0e-4, when: {optimizer: [nesterovs, sgd], learning_rate: {max: 0.01}}}
                """.formatted(dir.resolve("model.zip"), dir.resolve("ti.gz"), dir.resolve("tl.gz"));
    }

    private String error(String text) {
        return assertThrows(StudyFileException.class, () -> reader.parse(text)).getMessage();
    }

    /** {@link #conditional} with the line of {@code param} replaced by {@code line}. */
    private String with(String param, String line) {
        String replaced = conditional.replaceFirst("(?m)^  " + param + ":.*$", java.util.regex.Matcher.quoteReplacement(
                "  " + param + ": " + line));
        assertNotEquals(conditional, replaced, param);
        return replaced;
    }

    private static Condition.Between atLeast(double min) {
        return new Condition.Between(OptionalDouble.of(min), OptionalDouble.empty());
    }

    @Test
    void everyFormOfWhenIsRead() throws Exception {
        StudySpec spec = reader.parse(conditional);
        assertEquals(List.of("momentum", "backbone_lr_factor", "head_units", "weight_decay"),
                List.copyOf(spec.when().keySet()));
        assertEquals(new Condition(Map.of("optimizer", new Condition.OneOf(List.of("nesterovs")))),
                spec.when().get("momentum"));
        assertEquals(new Condition(Map.of("unfreeze_depth", atLeast(1))), spec.when().get("backbone_lr_factor"));
        assertEquals(new Condition(Map.of("head_layers", new Condition.Between(OptionalDouble.of(1),
                OptionalDouble.of(2)))), spec.when().get("head_units"));
        Condition decay = spec.when().get("weight_decay");
        assertEquals(List.of("optimizer", "learning_rate"), List.copyOf(decay.requires().keySet()), "the file's order");
        assertEquals(new Condition.OneOf(List.of("nesterovs", "sgd")), decay.requires().get("optimizer"));
        assertEquals(new Condition.Between(OptionalDouble.empty(), OptionalDouble.of(0.01)),
                decay.requires().get("learning_rate"));
        assertEquals(new ParamSpec.FixedParam(1.0e-4), spec.space().get("weight_decay"), "a fixed value may have a when");
        assertTrue(decay.holds(Map.of("optimizer", "sgd", "learning_rate", 0.001)));
        assertFalse(decay.holds(Map.of("optimizer", "sgd", "learning_rate", 0.05)));
        assertFalse(decay.holds(Map.of("learning_rate", 0.001)), "optimizer absent: inactive, so the condition fails");

        // values take the controlling parameter's kind: a name in any case, a whole number as a float
        StudySpec kinds = reader.parse(with("momentum", "{type: float, low: 0.5, high: 0.99, when: {optimizer: "
                + "NESTEROVS, unfreeze_depth: [0, 2], learning_rate: 0.1}}"));
        assertEquals(new Condition.OneOf(List.of("nesterovs")), kinds.when().get("momentum").requires().get("optimizer"));
        assertEquals(new Condition.OneOf(List.of(0, 2)), kinds.when().get("momentum").requires().get("unfreeze_depth"));
        assertEquals(new Condition.OneOf(List.of(0.1)), kinds.when().get("momentum").requires().get("learning_rate"));

        // a parameter the file leaves out is in the space at its default, and may be named
        StudySpec byDefault = reader.parse(with("head_layers", "{type: int, low: 0, high: 2, when: {batch_size: 32}}"));
        assertEquals(new Condition.OneOf(List.of(32)), byDefault.when().get("head_layers").requires().get("batch_size"));
        // an empty when is when left out
        assertFalse(reader.parse(with("head_units", "{type: choice, values: [32, 64], when: ~}")).when()
                .containsKey("head_units"));
    }

    @Test
    void tpeAndItsSettingsAreRead() throws Exception {
        SearchSpec search = reader.parse(conditional).search();
        assertEquals(SearchSpec.Algorithm.TPE, search.algorithm());
        assertEquals(new SearchSpec.TpeOptions(5, 0.25, 12, true), search.tpe());
        assertEquals(SearchSpec.TpeOptions.DEFAULT, reader.parse(conditional.replaceFirst("(?m)^  tpe:.*\\n", ""))
                .search().tpe());
        assertEquals(new SearchSpec.TpeOptions(10, 0.5, 24, false), reader.parse(conditional.replace(
                "{startup_trials: 5, gamma: 0.25, candidates: 12, multivariate: true}", "{gamma: 0.5}")).search().tpe());
        assertEquals(new SearchSpec.TpeOptions(0, 0.1, 1, false), reader.parse(conditional.replace(
                "{startup_trials: 5, gamma: 0.25, candidates: 12, multivariate: true}", "{startup_trials: 0, "
                        + "candidates: 1}")).search().tpe());
        assertEquals(SearchSpec.TpeOptions.DEFAULT, reader.parse(conditional.replace("algorithm: tpe", "algorithm: random")
                .replaceFirst("(?m)^  tpe:.*$", "  tpe:")).search().tpe(), "an empty tpe is tpe left out");
    }

    @Test
    void badTpeSettingsNameTheirFieldAndLine() {
        String settings = "{startup_trials: 5, gamma: 0.25, candidates: 12, multivariate: true}";
        assertEquals("search.tpe: is for algorithm: tpe, and algorithm is grid; set algorithm: tpe or remove tpe "
                + "(line 15)", error(conditional.replace("algorithm: tpe", "algorithm: grid")));
        assertEquals("search.tpe.startup_trials: must be a whole number >= 0 (trials proposed at random before TPE "
                + "models the history), got -1 (line 15)", error(conditional.replace(settings, "{startup_trials: -1}")));
        assertEquals("search.tpe.gamma: must be a number in (0, 1) (the share of scored trials taken as good), got 1.0 "
                + "(line 15)", error(conditional.replace(settings, "{gamma: 1}")));
        assertEquals("search.tpe.gamma: must be a number in (0, 1) (the share of scored trials taken as good), got 0.0 "
                + "(line 15)", error(conditional.replace(settings, "{gamma: 0}")));
        assertEquals("search.tpe.candidates: must be a whole number from 1 to 10000 (proposals ranked per trial), got 0 "
                + "(line 15)", error(conditional.replace(settings, "{candidates: 0}")));
        // 10^9 passed validate, then ran the driver out of memory at the first modelled proposal
        assertEquals("search.tpe.candidates: must be a whole number from 1 to 10000 (proposals ranked per trial), got "
                + "1000000000 (line 15)", error(conditional.replace(settings, "{candidates: 1000000000}")));
        assertEquals("search.tpe.multivariate: must be true or false, got text 'joint' (line 15)",
                error(conditional.replace(settings, "{multivariate: joint}")));
        assertEquals("search.tpe.gama: unknown key; allowed here: candidates, gamma, multivariate, startup_trials "
                + "(line 15)", error(conditional.replace(settings, "{gama: 0.2}")));
        assertEquals("search.tpe: must be a mapping of keys to values, got '0.2' (line 15)",
                error(conditional.replace(settings, "0.2")));
    }

    /**
     * A grid over more cells than Arbiter's grid search can list is refused at its line, with the factors of its
     * count: 10^9 cells (most of them one training under the conditions) passed validate, then hung the run before
     * its first trial; beyond 2^31 Arbiter refused it only once the run had started.
     */
    @Test
    void aGridOverMoreCellsThanAGridMayHoldIsRefused() throws StudyFileException {
        String grid = conditional.replace("algorithm: tpe", "algorithm: grid").replaceFirst("(?m)^  tpe:.*$",
                "  grid_points: 100");
        assertEquals("search.grid_points: grid search over this space has 72,000,000 cells (learning_rate 100 x "
                + "optimizer 3 x unfreeze_depth 4 x momentum 100 x backbone_lr_factor 100 x head_layers 3 x "
                + "head_units 2), more than the 1,000,000 a grid may hold; lower grid_points, search fewer parameters, "
                + "or use algorithm random or tpe (line 15)", error(grid));
        String wideStep = conditional.replace("algorithm: tpe", "algorithm: grid").replaceFirst("(?m)^  tpe:.*\\n", "")
                + "  batch_size: {type: int, low: 1, high: 199999, step: 2}\n";
        assertTrue(error(wideStep).startsWith("search.algorithm: grid search over this space has 145,800,000 cells ("),
                "without grid_points the error is at algorithm: " + error(wideStep));
        String atTheLimit = grid.replace("grid_points: 100", "grid_points: 1000").replaceAll("(?m)^  (optimizer|"
                + "unfreeze_depth|momentum|backbone_lr_factor|head_layers|head_units|weight_decay):.*\\n", "")
                + "  dropout: {type: float, low: 0, high: 0.5}\n";
        StudySpec spec = reader.parse(atTheLimit);
        assertEquals(SearchSpec.MAX_GRID_CELLS, spec.search().gridCells(spec.space().values()));
    }

    @Test
    void whenNamesParametersOfTheSpaceOtherThanItself() {
        assertEquals("space.momentum.when.head_epochs: head_epochs is not in the space; add it to space, or take it "
                + "out of this condition (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {head_epochs: 1}}")));
        assertTrue(error(with("momentum", "{type: float, low: 0.5, high: 0.99, when: {epsilon: 1}}")).startsWith(
                "space.momentum.when.epsilon: unknown hyperparameter; a condition names parameters of the space: "
                        + "learning_rate, optimizer, unfreeze_depth, momentum,"));
        assertEquals("space.momentum.when.momentum: a parameter's condition cannot name the parameter itself; name "
                + "another one (line 22)", error(with("momentum", "{type: float, low: 0.5, high: 0.99, when: "
                + "{momentum: 0.6}}")));
        assertEquals("space.momentum.when.OPTIMIZER: is optimizer again; keep one (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {optimizer: sgd, OPTIMIZER: nesterovs}}")));
    }

    @Test
    void conditionsThatDependOnThemselvesAreACycle() {
        assertEquals("space.head_layers.when.head_units: the conditions form a cycle: head_layers depends on "
                + "head_units, head_units on head_layers; a parameter cannot depend on itself, so take one of them out "
                + "(line 24)", error(with("head_layers", "{type: int, low: 0, high: 2, when: {head_units: 64}}")));
        // through Thaw's own: backbone_lr_factor is only active when unfreeze_depth >= 1
        assertEquals("space.unfreeze_depth.when.backbone_lr_factor: the conditions form a cycle: unfreeze_depth "
                + "depends on backbone_lr_factor, backbone_lr_factor on unfreeze_depth; a parameter cannot depend on "
                + "itself, so take one of them out (line 21)", error(with("unfreeze_depth",
                "{type: int, low: 0, high: 3, when: {backbone_lr_factor: {max: 0.5}}}")));
        // found from the first parameter of the space on the cycle
        assertEquals("space.optimizer.when.unfreeze_depth: the conditions form a cycle: optimizer depends on "
                + "unfreeze_depth, unfreeze_depth on momentum, momentum on optimizer; a parameter cannot depend on "
                + "itself, so take one of them out (line 20)", error(with("unfreeze_depth", "{type: int, low: 0, high: 3, "
                + "when: {momentum: {min: 0.6}}}").replace("values: [adam, nesterovs, sgd]}",
                "values: [adam, nesterovs, sgd], when: {unfreeze_depth: 2}}")));
    }

    @Test
    void aCycleThroughThawsOwnConditionSaysSo() {
        String text = with("head_layers", "{type: int, low: 0, high: 2}\n  head_epochs: {type: int, low: 0, high: 2}")
                .replace("  unfreeze_depth: {type: int, low: 0, high: 3}",
                        "  unfreeze_depth: {type: int, low: 0, high: 3, when: {head_epochs: 0}}");
        assertEquals("space.unfreeze_depth.when.head_epochs: the conditions form a cycle: unfreeze_depth depends on "
                + "head_epochs, head_epochs on unfreeze_depth (Thaw's own condition); a parameter cannot depend on "
                + "itself, so take one of them out (line 21)", error(text));
    }

    @Test
    void aValueTheParameterCanNeverTakeIsRefused() {
        assertEquals("space.momentum.when.optimizer: optimizer can never be rmsprop: the space gives it [adam, "
                + "nesterovs, sgd]; name a value it can take (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {optimizer: rmsprop}}")));
        assertEquals("space.momentum.when.optimizer: optimizer can never be any of [rmsprop, adamax]: the space gives it "
                + "[adam, nesterovs, sgd]; name a value it can take (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {optimizer: [rmsprop, adamax]}}")));
        assertEquals("space.momentum.when.unfreeze_depth: unfreeze_depth can never be >= 4: the space gives it 0..3; "
                + "name a value it can take (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {unfreeze_depth: {min: 4}}}")));
        assertEquals("space.momentum.when.unfreeze_depth: unfreeze_depth can never be 7: the space gives it 0..3; "
                + "name a value it can take (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {unfreeze_depth: 7}}")));
        assertEquals("space.momentum.when.learning_rate: learning_rate can never be in [0.2, 0.5]: the space gives it "
                + "[1.0E-4, 0.1]; name a value it can take (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {learning_rate: {min: 0.2, max: 0.5}}}")));
        assertEquals("space.momentum.when.batch_size: batch_size can never be 64: the space fixes it at 32 (its default: "
                + "the space leaves it out); name a value it can take (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {batch_size: 64}}")));
        assertEquals("space.momentum.when.learning_rate: must be a number, got text 'high' (line 22)", error(with(
                "momentum", "{type: float, low: 0.5, high: 0.99, when: {learning_rate: high}}")));
        assertEquals("space.momentum.when.unfreeze_depth: must be a whole number, got '1.5' (line 22)", error(with(
                "momentum", "{type: float, low: 0.5, high: 0.99, when: {unfreeze_depth: 1.5}}")));
        assertEquals("space.momentum.when.optimizer: must be an optimizer name, got '3' (line 22)", error(with(
                "momentum", "{type: float, low: 0.5, high: 0.99, when: {optimizer: 3}}")));
        assertEquals("space.momentum.when.optimizer[1]: unknown optimizer 'adamw'; use one of: sgd, nesterovs, adam, "
                + "rmsprop, adamax, adagrad, adadelta, nadam, amsgrad (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {optimizer: [sgd, adamw]}}")));
        // a stepped range: 1 is between 0 and 4 but not one of 0, 2, 4
        assertEquals("space.momentum.when.unfreeze_depth: unfreeze_depth can never be in [1, 1]: the space gives it "
                + "0..4 in steps of 2; name a value it can take (line 22)", error(with("momentum",
                "{type: float, low: 0.5, high: 0.99, when: {unfreeze_depth: {min: 1, max: 1}}}").replace(
                "{type: int, low: 0, high: 3}", "{type: int, low: 0, high: 4, step: 2}")));
    }

    @Test
    void malformedConditionsNameTheirFieldAndLine() {
        String momentum = "{type: float, low: 0.5, high: 0.99, when: %s}";
        assertEquals("space.momentum.when.unfreeze_depth.min: min <= max must hold, got min=2.0, max=1.0 (line 22)",
                error(with("momentum", momentum.formatted("{unfreeze_depth: {min: 2, max: 1}}"))));
        assertEquals("space.momentum.when.unfreeze_depth.least: unknown key; allowed here: max, min (line 22)",
                error(with("momentum", momentum.formatted("{unfreeze_depth: {least: 1}}"))));
        assertEquals("space.momentum.when.unfreeze_depth: give min, max or both, like {min: 1} (line 22)",
                error(with("momentum", momentum.formatted("{unfreeze_depth: {}}"))));
        assertEquals("space.momentum.when.optimizer: optimizer takes an optimizer name; give one or a list of them "
                + "(min and max are for numbers) (line 22)", error(with("momentum",
                momentum.formatted("{optimizer: {min: 1}}"))));
        assertEquals("space.momentum.when: names no parameter; give one or more, like {optimizer: nesterovs}, or remove "
                + "when (line 22)", error(with("momentum", momentum.formatted("{}"))));
        assertEquals("space.momentum.when: must be a mapping of parameter names to what they must be, like "
                + "{optimizer: nesterovs}, got text 'nesterovs' (line 22)", error(with("momentum",
                momentum.formatted("nesterovs"))));
        assertEquals("space.momentum.when.optimizer: list at least one value (line 22)",
                error(with("momentum", momentum.formatted("{optimizer: []}"))));
        assertEquals("space.momentum.when.optimizer[1]: value sgd is listed twice (line 22)",
                error(with("momentum", momentum.formatted("{optimizer: [sgd, sgd]}"))));
        assertEquals("space.momentum.when.optimizer: must be an optimizer name, got empty (line 22)",
                error(with("momentum", momentum.formatted("{optimizer: }"))));
        assertEquals("space.momentum.whenn: unknown key; allowed here: high, log, low, type, when (line 22)",
                error(with("momentum", "{type: float, low: 0.5, high: 0.99, whenn: {optimizer: sgd}}")));
        assertEquals("space.momentum.type: is required; a condition goes on a mapping with a type, and on a fixed value "
                + "as {type: fixed, value: V, when: {...}} (line 22)",
                error(with("momentum", "{value: 0.9, when: {optimizer: nesterovs}}")));
    }

    @Test
    void conditionsAndTpeSettingsAreWrittenBackAndReadToTheSameSpec() throws Exception {
        StudySpec spec = reader.parse(conditional);
        String text = writer.write(spec, null);
        assertEquals(spec, reader.parse(text), text);
        assertTrue(text.contains("  weight_decay:\n    type: fixed\n    value: 1.0E-4\n    when:\n      optimizer:\n"
                + "      - nesterovs\n      - sgd\n      learning_rate:\n        max: 0.01\n"), text);
        assertTrue(text.contains("  tpe:\n    startup_trials: 5\n    gamma: 0.25\n    candidates: 12\n"
                + "    multivariate: true\n"), text);
        String defaults = writer.write(reader.parse(conditional.replaceFirst("(?m)^  tpe:.*\\n", "")), null);
        assertFalse(defaults.contains("tpe:"), "TPE's defaults are not written:\n" + defaults);
        assertTrue(defaults.contains("algorithm: tpe"), defaults);
    }

    @Test
    void conditionsAndTpeSettingsArePartOfTheStudysIdentity() throws Exception {
        String id = writer.identity(reader.parse(conditional));
        assertEquals(id, writer.identity(reader.parse(writer.write(reader.parse(conditional), null))));
        assertNotEquals(id, writer.identity(reader.parse(conditional.replace("when: {optimizer: nesterovs}",
                "when: {optimizer: [nesterovs, sgd]}"))));
        assertNotEquals(id, writer.identity(reader.parse(conditional.replace(", when: {head_layers: {min: 1, max: 2}}",
                ""))));
        assertNotEquals(id, writer.identity(reader.parse(conditional.replace("gamma: 0.25", "gamma: 0.2"))));
        StudySpec a = reader.parse(conditional);
        StudySpec b = reader.parse(conditional.replace("{min: 1, max: 2}", "{min: 1}").replace("gamma: 0.25",
                "gamma: 0.2"));
        assertEquals(List.of("search.tpe.gamma", "space.head_units.when.head_layers.max"), writer.differences(a, b));
    }

    /**
     * A study written before conditions, TPE and pruners keeps its identity, so running it again continues its stored
     * trials: the hash is the one this text had before (commit e32814d); {@code pruner: none} is the same study.
     */
    @Test
    void aStudyWithoutConditionsKeepsItsIdentity() throws Exception {
        String oldText = """
                name: old-study
                model:
                  source: builtin
                  path: /nowhere/model.zip
                data:
                  format: idx
                  train_images: /nowhere/ti.gz
                  train_labels: /nowhere/tl.gz
                  classes: [5, 6, 7]
                  per_class: 10
                objective:
                  metric: val_accuracy
                search:
                  algorithm: grid
                  trials: 4
                budget:
                  epochs: 2
                space:
                  learning_rate: {type: float, low: 1.0e-4, high: 0.1, log: true}
                  batch_size: {type: choice, values: [16, 32]}
                  dropout: 0.25
                  optimizer: {type: choice, values: [sgd, nesterovs]}
                  unfreeze_depth: {type: int, low: 0, high: 2}
                  momentum: {type: float, low: 0.5, high: 0.99}
                  head_epochs: {type: choice, values: [0, 1]}
                """;
        StudySpec old = reader.parse(oldText);
        assertEquals("8fc57e33d90c8f33d50a049b24637a069fbae69064c3ac35e67cc22ea0eebc67", writer.identity(old));
        String text = writer.write(old, null);
        assertFalse(text.contains("when") || text.contains("tpe") || text.contains("pruner"), text);
        for (String none : List.of("pruner: none\n", "pruner: {type: none}\n", "pruner:\n")) {
            assertEquals("8fc57e33d90c8f33d50a049b24637a069fbae69064c3ac35e67cc22ea0eebc67",
                    writer.identity(reader.parse(oldText + none)), none);
        }
    }
}
