package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A study run in memory, one trial at a time, as the driver runs it with one slot: propose from the history, record
 * the trial, score it, record the score; then the next. For tests and the replay benchmark.
 */
public final class SequentialStudy {
    private final Sampler sampler;
    private final SearchSpace space;
    private final long seed;
    private TrialHistory history = TrialHistory.EMPTY;

    public SequentialStudy(Sampler sampler, SearchSpace space, long seed) {
        this.sampler = sampler;
        this.space = space;
        this.seed = seed;
    }

    /** Runs up to {@code n} more trials (fewer when the space is exhausted); returns their assignments in order. */
    public List<Assignment> run(int n, ToDoubleFunction<Assignment> objective) {
        List<Assignment> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Optional<Assignment> next = propose();
            if (next.isEmpty()) {
                break;
            }
            out.add(next.get());
            int number = history.trials().size() + 1;
            history = history.with(trial(number, next.get(), TrialState.COMPLETE,
                    Optional.of(objective.applyAsDouble(next.get()))));
        }
        return out;
    }

    /** The next proposal from the history as it stands, recording nothing. */
    public Optional<Assignment> propose() {
        return sampler.propose(space, history, Sampler.randomFor(seed, history));
    }

    /** Records a trial that was proposed but has no result yet (another slot's). */
    public void addPending(Assignment a) {
        history = history.with(trial(history.trials().size() + 1, a, TrialState.RUNNING, Optional.empty()));
    }

    /** Records the scratch baseline: a trial outside the search. */
    public void addBaseline(Assignment a, double score) {
        TrialHistory.Trial t = trial(history.trials().size() + 1, a, TrialState.COMPLETE, Optional.of(score));
        history = history.with(new TrialHistory.Trial(t.number(), t.state(), a, t.score(), List.of(), true,
                t.created(), t.started(), t.finished(), false));
    }

    /** Records a trial cancelled by a stop of the study before it started. */
    public void addWithdrawn(Assignment a) {
        addCancelled(a, false);
    }

    /** Records a queued trial cancelled by a stop asked for it alone ({@code thaw stop --trial}). */
    public void addTurnedDown(Assignment a) {
        addCancelled(a, true);
    }

    private void addCancelled(Assignment a, boolean stopAsked) {
        TrialHistory.Trial t = trial(history.trials().size() + 1, a, TrialState.PRUNED, Optional.empty());
        history = history.with(new TrialHistory.Trial(t.number(), t.state(), a, t.score(), List.of(), false,
                t.created(), Optional.empty(), t.finished(), stopAsked));
    }

    /** A study that continues from {@code history} with another sampler instance (a restarted driver's). */
    public static SequentialStudy resumed(Sampler sampler, SearchSpace space, long seed, TrialHistory history) {
        SequentialStudy study = new SequentialStudy(sampler, space, seed);
        study.history = history;
        return study;
    }

    public TrialHistory history() {
        return history;
    }

    /** A trial numbered {@code number}, created at second 2·number and (when finished) ended a second later. */
    public static TrialHistory.Trial trial(int number, Assignment a, TrialState state, Optional<Double> score) {
        Instant created = Instant.ofEpochSecond(2L * number);
        return new TrialHistory.Trial(number, state, a, score, List.of(), false, created,
                state == TrialState.QUEUED ? Optional.empty() : Optional.of(created),
                state.finished() ? Optional.of(created.plusSeconds(1)) : Optional.empty(), false);
    }
}
