package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.SearchSpec;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.apache.commons.math3.random.RandomGenerator;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.parentselection.RandomTwoParentSelection;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.PopulationModel;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;


/**
 * Builds the sampler a study asks for. Every random source is seeded from {@code search.seed}, so the same seed
 * gives the same candidate sequence. Grid search walks the grid in Arbiter's sequential order.
 */
public final class SamplerFactory {
    private final SpaceMapper mapper = new SpaceMapper();

    public Sampler create(SearchSpec search, SearchSpace space, Direction direction) {
        if (search.algorithm() == SearchSpec.Algorithm.TPE) {
            return new TpeSampler(search.tpe(), direction);
        }
        ParameterSpace<Assignment> arbiterSpace = mapper.map(space.params());
        return new ArbiterSampler(() -> switch (search.algorithm()) {
            case RANDOM -> {
                RandomSearchGenerator random = new RandomSearchGenerator(arbiterSpace, null);
                random.setRngSeed(search.seed());
                yield random;
            }
            case GRID -> grid(arbiterSpace, search);
            case GENETIC -> genetic(arbiterSpace, search, direction);
            case TPE -> throw new IllegalStateException("TPE is Thaw's own");
        }, search.algorithm() == SearchSpec.Algorithm.GRID);
    }

    /**
     * How many distinct trainings a grid holds: its cells, counting once the cells that differ only in inactive
     * parameters (the grid sampler runs one of each).
     */
    public long effectiveGridSize(SearchSpec search, SearchSpace space) {
        GridSearchCandidateGenerator grid = grid(mapper.map(space.params()), search);
        java.util.Set<Assignment> distinct = new java.util.HashSet<>();
        while (grid.hasMoreCandidates()) {
            distinct.add(space.proposal((Assignment) grid.getCandidate().getValue()));
        }
        return distinct.size();
    }

    private static GridSearchCandidateGenerator grid(ParameterSpace<Assignment> space, SearchSpec search) {
        return new GridSearchCandidateGenerator(space, search.gridPoints(), GridSearchCandidateGenerator.Mode.Sequential,
                null);
    }

    /**
     * Arbiter's genetic generator with seeded operators. The population is sized to the trial budget (half of it,
     * 4 to 30) so that breeding starts within the study rather than after 30 random trials.
     */
    private static GeneticSearchCandidateGenerator genetic(ParameterSpace<Assignment> space, SearchSpec search,
                                                          Direction direction) {
        RandomGenerator rng = new JDKRandomGenerator();
        rng.setSeed(search.seed());
        int population = Math.max(4, Math.min(30, search.trials() / 2));
        GeneticSelectionOperator selection = new GeneticSelectionOperator.Builder()
                .randomGenerator(rng)
                .crossoverOperator(new SinglePointCrossover.Builder()
                        .randomGenerator(rng)
                        .parentSelection(new RandomTwoParentSelection(rng))
                        .build())
                .mutationOperator(new RandomMutationOperator.Builder().randomGenerator(rng).build())
                .build();
        return new GeneticSearchCandidateGenerator.Builder(space, new DirectionScore(direction))
                .populationModel(new PopulationModel.Builder().populationSize(population).build())
                .selectionOperator(selection)
                .build();
    }
}
