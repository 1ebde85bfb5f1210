package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.TrialHistory;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The one adapter to Arbiter's candidate generators (random, grid, genetic), which are stateful ask-and-tell objects.
 * A proposal replays the history into a fresh generator as the driver lived it: one ask per search trial in the
 * order they were created, and before each ask the scores of the trials that had finished by then (for the genetic
 * generator; random and grid ignore scores). Random and grid thus keep Arbiter's candidate sequences, and the
 * genetic generator sees what it saw live. The replayed prefix is kept, so a proposal costs one ask when the history
 * only grew. Each candidate loses its inactive parameters; with {@code skipEquivalent} (the grid) a candidate whose
 * active part a search trial already holds is passed over, so no two cells differ only in inactive parameters.
 * Arbiter's own seeds come from the study; the random source of each call is not used.
 */
final class ArbiterSampler implements Sampler {
    private final Supplier<CandidateGenerator> generators;
    private final boolean skipEquivalent;
    private CandidateGenerator generator;
    private final List<Event> replayed = new ArrayList<>();
    private final List<Candidate<?>> asked = new ArrayList<>();
    /** Grid cells walked past: each is held by a trial of the history. */
    private final Set<Assignment> passed = new HashSet<>();
    /** The grid cell the last call returned. */
    private Optional<Assignment> offered = Optional.empty();

    /** One step of the ask-and-tell conversation: ask for the k-th candidate (score absent) or tell its score. */
    private record Event(int candidate, Optional<Double> score) {
    }

    ArbiterSampler(Supplier<CandidateGenerator> generators, boolean skipEquivalent) {
        this.generators = generators;
        this.skipEquivalent = skipEquivalent;
    }

    @Override
    public Optional<Assignment> propose(SearchSpace space, TrialHistory history, RandomGenerator random) {
        List<TrialHistory.Trial> search = history.search();
        return skipEquivalent ? nextCell(space, search) : replayThenAsk(space, search);
    }

    /** Random and genetic: replay the conversation, then ask once more. */
    private Optional<Assignment> replayThenAsk(SearchSpace space, List<TrialHistory.Trial> search) {
        List<Event> events = conversation(search);
        if (generator == null || events.size() < replayed.size()
                || !events.subList(0, replayed.size()).equals(replayed)) {
            restart(); // not a continuation of what was replayed
        }
        for (Event e : events.subList(replayed.size(), events.size())) {
            if (e.score().isEmpty()) {
                if (ask().isEmpty()) {
                    return Optional.empty();
                }
            } else {
                Candidate<?> c = asked.get(e.candidate());
                generator.reportResults(new OptimizationResult(c, e.score().get(), c.getIndex(), null, null, null));
            }
            replayed.add(e);
        }
        Optional<Candidate<?>> next = ask();
        next.ifPresent(c -> replayed.add(new Event(asked.size() - 1, Optional.empty())));
        return next.map(c -> space.proposal((Assignment) c.getValue()));
    }

    /**
     * The grid: the first cell, in Arbiter's sequential order, whose active part no search trial holds. The cells
     * passed over stay passed over as the history grows, so the walk goes on from where it stopped.
     */
    private Optional<Assignment> nextCell(SearchSpace space, List<TrialHistory.Trial> search) {
        Set<Assignment> held = new HashSet<>();
        search.forEach(t -> held.add(space.activePart(t.assignment())));
        if (generator == null || !held.containsAll(passed)) {
            restart();
        } else if (offered.isPresent()) {
            if (!held.contains(offered.get())) {
                return offered; // proposed last time, but not taken
            }
            passed.add(offered.get());
        }
        offered = Optional.empty();
        while (true) {
            Optional<Candidate<?>> next = ask();
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Assignment cell = space.proposal((Assignment) next.get().getValue());
            if (!held.contains(cell)) {
                offered = Optional.of(cell);
                return offered;
            }
            passed.add(cell);
        }
    }

    private void restart() {
        generator = generators.get();
        replayed.clear();
        asked.clear();
        passed.clear();
        offered = Optional.empty();
    }

    private Optional<Candidate<?>> ask() {
        if (!generator.hasMoreCandidates()) {
            return Optional.empty();
        }
        Candidate<?> c = generator.getCandidate();
        if (c.getException() != null || c.getValue() == null) {
            // Arbiter's genetic generator signals "no new genes left" this way; treat the space as exhausted.
            return Optional.empty();
        }
        asked.add(c);
        return Optional.of(c);
    }

    /**
     * The asks and tells that produced {@code search} live: trial k's ask, preceded by the scores of the trials that
     * had finished by the time trial k was created (in the order they finished), then the scores still untold.
     */
    private static List<Event> conversation(List<TrialHistory.Trial> search) {
        List<Event> events = new ArrayList<>(2 * search.size());
        List<Integer> untold = new ArrayList<>();
        for (int k = 0; k < search.size(); k++) {
            tell(search, untold, events, search.get(k).created());
            events.add(new Event(k, Optional.empty()));
            if (search.get(k).scored() && search.get(k).finished().isPresent()) {
                untold.add(k);
            }
        }
        tell(search, untold, events, Instant.MAX);
        return events;
    }

    /** Tells the untold scores of the trials that finished by {@code until}, in the order they finished. */
    private static void tell(List<TrialHistory.Trial> search, List<Integer> untold, List<Event> events,
                             Instant until) {
        if (untold.isEmpty()) {
            return;
        }
        List<Integer> now = new ArrayList<>(untold.size());
        for (Iterator<Integer> it = untold.iterator(); it.hasNext(); ) {
            int k = it.next();
            if (!search.get(k).finished().orElseThrow().isAfter(until)) {
                now.add(k);
                it.remove();
            }
        }
        if (now.size() > 1) {
            now.sort(Comparator.comparing((Integer k) -> search.get(k).finished().orElseThrow()).thenComparing(k -> k));
        }
        for (int k : now) {
            events.add(new Event(k, search.get(k).score()));
        }
    }
}
