package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.Condition;
import dev.thaw.study.Direction;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.SearchSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every sampler promises: a proposal depends on the space, the history and the seed alone (a restarted driver
 * with a fresh sampler proposes what the running one would), the baseline and trials withdrawn by a stop leave the
 * sequence as it was, and a proposal holds exactly its active parameters.
 */
class SamplerContractTest {
    private static final long SEED = 11;

    /** Each sampler a study can ask for; TPE with few startup trials, so that it models within these tests. */
    static List<SearchSpec> samplers() {
        return List.of(search(SearchSpec.Algorithm.RANDOM, false), search(SearchSpec.Algorithm.GRID, false),
                search(SearchSpec.Algorithm.GENETIC, false), search(SearchSpec.Algorithm.TPE, false),
                search(SearchSpec.Algorithm.TPE, true));
    }

    private static SearchSpec search(SearchSpec.Algorithm algorithm, boolean multivariate) {
        return new SearchSpec(algorithm, 40, SEED, Optional.empty(), 3,
                new SearchSpec.TpeOptions(4, 0.25, 24, multivariate));
    }

    private static Sampler sampler(SearchSpec search) {
        return new SamplerFactory().create(search, space(), Direction.MAXIMIZE);
    }

    static SearchSpace space() {
        Map<String, ParamSpec> params = new LinkedHashMap<>();
        params.put("learning_rate", new ParamSpec.FloatParam(1e-4, 1e-1, true));
        params.put("batch_size", new ParamSpec.ChoiceParam(List.of(16, 64)));
        params.put("dropout", new ParamSpec.FloatParam(0.0, 0.5, false));
        params.put("optimizer", new ParamSpec.ChoiceParam(List.of("adam", "nesterovs")));
        params.put("momentum", new ParamSpec.FloatParam(0.5, 0.99, false));     // Thaw's own: nesterovs only
        params.put("unfreeze_depth", new ParamSpec.IntParam(0, 3, 1));
        params.put("head_epochs", new ParamSpec.IntParam(0, 2, 1));              // Thaw's own: unfreeze_depth >= 1
        params.put("dropout_late", new ParamSpec.FloatParam(0.0, 0.3, false)); // declared: dropout >= 0.25
        return new SearchSpace(params, Map.of("dropout_late", new Condition(Map.of("dropout",
                new Condition.Between(OptionalDouble.of(0.25), OptionalDouble.empty())))));
    }

    static double objective(Assignment a) {
        double lr = Math.log10(((Number) a.values().get("learning_rate")).doubleValue());
        double momentum = a.values().containsKey("momentum") ? ((Number) a.values().get("momentum")).doubleValue() : 0;
        return -Math.pow(lr + 2.5, 2) - ((Number) a.values().get("dropout")).doubleValue() + momentum * 0.2
                + ((Number) a.values().get("unfreeze_depth")).intValue() * 0.05;
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void aFreshSamplerGivenTheHistoryProposesWhatTheRunningOneWould(SearchSpec search) {
        SequentialStudy running = new SequentialStudy(sampler(search), space(), SEED);
        running.run(9, SamplerContractTest::objective);
        SequentialStudy restarted = SequentialStudy.resumed(sampler(search), space(), SEED, running.history());
        assertEquals(running.run(9, SamplerContractTest::objective), restarted.run(9, SamplerContractTest::objective));
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void theSameHistoryAndSeedGiveTheSameProposal(SearchSpec search) {
        SequentialStudy study = new SequentialStudy(sampler(search), space(), SEED);
        study.run(12, SamplerContractTest::objective);
        assertEquals(study.propose(), study.propose());
        assertEquals(study.propose(), SequentialStudy.resumed(sampler(search), space(), SEED, study.history()).propose());
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void theBaselineAndTrialsWithdrawnByAStopLeaveTheSequenceAsItWas(SearchSpec search) {
        List<Assignment> calm = new SequentialStudy(sampler(search), space(), SEED).run(14, SamplerContractTest::objective);
        SequentialStudy disturbed = new SequentialStudy(sampler(search), space(), SEED);
        List<Assignment> first = disturbed.run(5, SamplerContractTest::objective);
        disturbed.addBaseline(first.get(0), 10.0);           // far better than any trial: never learnt from
        disturbed.addWithdrawn(disturbed.propose().orElseThrow());
        List<Assignment> rest = disturbed.run(9, SamplerContractTest::objective);
        assertEquals(calm.subList(5, 14), rest);
    }

    /**
     * A queued trial stopped on its own (thaw stop --trial, the page's stop button) was turned down: the next proposal
     * is another one. It was withdrawn like a study's stop's cancellations, so the very same proposal came straight
     * back under the next number.
     */
    @ParameterizedTest
    @MethodSource("samplers")
    void aTrialTurnedDownBeforeItStartedIsNotProposedAgain(SearchSpec search) {
        SequentialStudy study = new SequentialStudy(sampler(search), space(), SEED);
        study.run(5, SamplerContractTest::objective);
        Assignment turnedDown = study.propose().orElseThrow();
        study.addTurnedDown(turnedDown);
        assertNotEquals(turnedDown, study.propose().orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("samplers")
    void aProposalHoldsExactlyItsActiveParameters(SearchSpec search) {
        SearchSpace space = space();
        for (Assignment a : new SequentialStudy(sampler(search), space, SEED).run(30, SamplerContractTest::objective)) {
            assertEquals(space.activePart(a), a, "inactive parameters are absent: " + a);
            assertEquals(a.values().get("optimizer").equals("nesterovs"), a.values().containsKey("momentum"), a.toString());
            assertEquals(((Number) a.values().get("unfreeze_depth")).intValue() >= 1,
                    a.values().containsKey("head_epochs"), a.toString());
            assertEquals(((Number) a.values().get("dropout")).doubleValue() >= 0.25,
                    a.values().containsKey("dropout_late"), a.toString());
            assertTrue(a.values().keySet().stream().allMatch(space.params()::containsKey), a.toString());
        }
    }
}
