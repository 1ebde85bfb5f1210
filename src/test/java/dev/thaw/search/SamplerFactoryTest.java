package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.SearchSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerFactoryTest {
    private final SamplerFactory factory = new SamplerFactory();

    private static Map<String, ParamSpec> space() {
        Map<String, ParamSpec> space = new LinkedHashMap<>();
        space.put("learning_rate", new ParamSpec.FloatParam(1e-4, 1e-1, true));
        space.put("batch_size", new ParamSpec.ChoiceParam(List.of(16, 32, 64)));
        space.put("dropout", new ParamSpec.FloatParam(0.0, 0.5, false));
        space.put("optimizer", new ParamSpec.ChoiceParam(List.of("sgd", "adam")));
        space.put("unfreeze_depth", new ParamSpec.IntParam(0, 6, 2));
        return space;
    }

    private static SearchSpec search(SearchSpec.Algorithm algorithm, long seed) {
        return new SearchSpec(algorithm, 40, seed, Optional.empty(), 3);
    }

    private static List<Assignment> draw(Sampler sampler, int n) {
        return new SequentialStudy(sampler, SearchSpace.of(space()), 1).run(n, a -> 0.0);
    }

    private Sampler create(SearchSpec.Algorithm algorithm, long seed) {
        return factory.create(search(algorithm, seed), SearchSpace.of(space()), Direction.MAXIMIZE);
    }

    @Test
    void randomValuesStayInTheirRangesWithTheirTypes() {
        for (Assignment a : draw(create(SearchSpec.Algorithm.RANDOM, 1), 500)) {
            assertTrue(a.learningRate() >= 1e-4 && a.learningRate() <= 1e-1, a.toString());
            assertTrue(List.of(16, 32, 64).contains(a.batchSize()), a.toString());
            assertTrue(a.dropout() >= 0 && a.dropout() <= 0.5, a.toString());
            assertTrue(List.of("sgd", "adam").contains(a.values().get("optimizer")), a.toString());
            assertTrue(List.of(0, 2, 4, 6).contains(a.values().get("unfreeze_depth")), a.toString());
            assertEquals(Integer.class, a.values().get("batch_size").getClass());
            assertEquals(Double.class, a.values().get("learning_rate").getClass());
        }
    }

    @Test
    void logScaleSpreadsEvenlyOverDecades() {
        List<Assignment> draws = draw(create(SearchSpec.Algorithm.RANDOM, 2), 2000);
        long belowGeometricMean = draws.stream().filter(a -> a.learningRate() < Math.sqrt(1e-4 * 1e-1)).count();
        long belowFirstDecade = draws.stream().filter(a -> a.learningRate() < 1e-3).count();
        // Log-uniform: half below the geometric mean 3.2e-3 and a third in [1e-4, 1e-3); uniform would put ~3% there.
        assertEquals(0.5, belowGeometricMean / 2000.0, 0.05);
        assertEquals(1.0 / 3, belowFirstDecade / 2000.0, 0.05);
    }

    @Test
    void theSameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
        List<Assignment> a = draw(create(SearchSpec.Algorithm.RANDOM, 7), 20);
        List<Assignment> b = draw(create(SearchSpec.Algorithm.RANDOM, 7), 20);
        List<Assignment> c = draw(create(SearchSpec.Algorithm.RANDOM, 8), 20);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void gridCoversEveryPointOnceThenIsExhausted() {
        Sampler grid = create(SearchSpec.Algorithm.GRID, 1);
        SequentialStudy study = new SequentialStudy(grid, SearchSpace.of(space()), 1);
        List<Assignment> all = study.run(1000, a -> 0.0);
        // 3 points of learning_rate x 3 batch sizes x 3 points of dropout x 2 optimizers x 4 depths
        assertEquals(3 * 3 * 3 * 2 * 4, all.size());
        assertEquals(all.size(), new HashSet<>(all).size());
        assertTrue(study.propose().isEmpty());
        Set<Double> rates = new HashSet<>();
        all.forEach(a -> rates.add(a.learningRate()));
        assertEquals(3, rates.size());
        assertTrue(rates.stream().anyMatch(r -> Math.abs(r - 1e-4) < 1e-9), rates.toString());
        assertTrue(rates.stream().anyMatch(r -> Math.abs(r - Math.sqrt(1e-4 * 1e-1)) < 1e-6), "log-spaced: " + rates);
    }

    @Test
    void geneticIsSeededAndLearnsFromScores() {
        List<Assignment> first = runGenetic(5);
        List<Assignment> second = runGenetic(5);
        assertEquals(first, second);
        assertEquals(40, first.size());
        // Once the population is full (20 for a budget of 40) it breeds from the fittest: later candidates score better.
        double early = first.subList(0, 20).stream().mapToDouble(SamplerFactoryTest::fitness).average().orElseThrow();
        double late = first.subList(20, 40).stream().mapToDouble(SamplerFactoryTest::fitness).average().orElseThrow();
        assertTrue(late > early, "late " + late + " <= early " + early);
    }

    @Test
    void rangesAndChoicesOfOneValueWorkForEveryArbiterSampler() {
        Map<String, ParamSpec> p = new LinkedHashMap<>();
        p.put("optimizer", new ParamSpec.ChoiceParam(List.of("adam")));
        p.put("dropout", new ParamSpec.FloatParam(0.1, 0.1, false));
        p.put("unfreeze_depth", new ParamSpec.IntParam(2, 2, 1));
        p.put("batch_size", new ParamSpec.ChoiceParam(List.of(16, 32)));
        SearchSpace space = SearchSpace.of(p);
        for (SearchSpec.Algorithm algorithm : List.of(SearchSpec.Algorithm.RANDOM, SearchSpec.Algorithm.GRID,
                SearchSpec.Algorithm.GENETIC)) {
            Sampler sampler = factory.create(search(algorithm, 1), space, Direction.MAXIMIZE);
            List<Assignment> trials = new SequentialStudy(sampler, space, 1).run(10, a -> 0.0);
            assertEquals(algorithm == SearchSpec.Algorithm.GRID ? 2 : 10, trials.size(), algorithm.key());
            for (Assignment a : trials) {
                assertEquals("adam", a.values().get("optimizer"), algorithm.key());
                assertEquals(0.1, a.values().get("dropout"), algorithm.key());
                assertEquals(2, a.values().get("unfreeze_depth"), algorithm.key());
            }
        }
    }

    private static double fitness(Assignment a) {
        return -Math.abs(Math.log10(a.learningRate()) + 2) + a.dropout();
    }

    private List<Assignment> runGenetic(long seed) {
        return new SequentialStudy(create(SearchSpec.Algorithm.GENETIC, seed), SearchSpace.of(space()), 1)
                .run(40, SamplerFactoryTest::fitness);
    }
}
