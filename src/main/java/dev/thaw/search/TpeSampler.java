package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.TrialHistory;

import java.util.Optional;
import java.util.random.RandomGenerator;

/** PLACEHOLDER: being written. */
final class TpeSampler implements Sampler {
    TpeSampler(SearchSpec.TpeOptions options, Direction direction) {
    }

    @Override
    public Optional<Assignment> propose(SearchSpace space, TrialHistory history, RandomGenerator random) {
        throw new UnsupportedOperationException("TPE is being written");
    }
}
