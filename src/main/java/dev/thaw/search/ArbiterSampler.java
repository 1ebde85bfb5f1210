package dev.thaw.search;

import dev.thaw.study.Assignment;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link Sampler} backed by one of Arbiter's {@link CandidateGenerator}s. */
final class ArbiterSampler implements Sampler {
    private final CandidateGenerator generator;
    private final Map<Integer, Candidate<?>> asked = new HashMap<>();

    ArbiterSampler(CandidateGenerator generator) {
        this.generator = generator;
    }

    @Override
    public Optional<Assignment> next() {
        if (!generator.hasMoreCandidates()) {
            return Optional.empty();
        }
        Candidate<?> candidate = generator.getCandidate();
        if (candidate.getException() != null || candidate.getValue() == null) {
            // Arbiter's genetic generator signals "no new genes left" this way; treat the space as exhausted.
            return Optional.empty();
        }
        asked.put(asked.size() + 1, candidate);
        return Optional.of((Assignment) candidate.getValue());
    }

    @Override
    public void tell(int n, double score) {
        Candidate<?> asked = this.asked.get(n);
        if (asked == null) {
            throw new IllegalArgumentException("no candidate " + n + " was asked for; asked " + this.asked.size());
        }
        generator.reportResults(new OptimizationResult(asked, score, asked.getIndex(), null, null, null));
    }
}
