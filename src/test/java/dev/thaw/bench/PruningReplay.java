package dev.thaw.bench;

import dev.thaw.search.Promotion;
import dev.thaw.search.Pruner;
import dev.thaw.search.Sampler;
import dev.thaw.search.SearchSpace;
import dev.thaw.study.Assignment;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.PruneDecision;
import dev.thaw.study.TrialHistory;
import dev.thaw.study.TrialState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One seed of a search with a pruner, replayed on a recorded table ({@link GridTable}) with one slot, one trial at a
 * time, until a budget of epochs is spent. The history the sampler and the pruner read is the one Thaw's store would
 * hold: trials by number, RUNNING while they train, then COMPLETE (scored with the last epoch's val_accuracy), PRUNED
 * (scored with the val_accuracy of the epoch it stopped at) or PAUSED (no score); every epoch a {@link MetricPoint}
 * whose objective is the epoch's val_accuracy.
 *
 * <p>The loop, as the study driver runs it with one free slot: first ask {@link Promotion#next} for a paused trial to
 * thaw; it resumes at its next epoch and replays the rest of its configuration's curve (what a bit-for-bit resume from
 * its checkpoint gives). Otherwise the sampler proposes a new trial, snapped to the nearest recorded configuration
 * ({@link ReplaySpace}). After each epoch but the last the pruner decides: go on, end the trial PRUNED, or pause it.
 * Every epoch run costs one epoch of the budget and its recorded seconds; a trial that the budget cuts short ends
 * there, unscored.
 */
public final class PruningReplay {
    private PruningReplay() {
    }

    /** How a stretch of training ended. CUT: the budget ran out first. */
    public enum End { COMPLETE, PRUNED, PAUSED, CUT }

    /**
     * Epochs {@code from} to {@code to} (inclusive, from 1) of trial {@code trial}, which trains {@code config}, run
     * without a break. A trial paused and thawed has one segment per stretch.
     */
    public record Segment(int trial, GridTable.Config config, int from, int to, End end) {
        public Segment {
            if (from < 1 || to < from || to > config.epochs().size()) {
                throw new IllegalArgumentException("trial " + trial + ": epochs " + from + ".." + to + " of a curve of "
                        + config.epochs().size());
            }
        }

        public int epochs() {
            return to - from + 1;
        }

        /** The recorded seconds of the epochs run. */
        public double seconds() {
            double s = 0;
            for (int e = from; e <= to; e++) {
                s += config.epochs().get(e - 1).seconds();
            }
            return s;
        }
    }

    /** One seed's replay: every stretch of training in the order it ran. */
    public record Run(List<Segment> segments) {
        public Run {
            segments = List.copyOf(segments);
        }

        public int epochs() {
            return segments.stream().mapToInt(Segment::epochs).sum();
        }

        /** The epochs spent when a COMPLETE trial first scored at least {@code threshold}; budget + 1 if none did. */
        public int epochsTo(double threshold, int budget) {
            int spent = 0;
            for (Segment s : segments) {
                spent += s.epochs();
                if (s.end() == End.COMPLETE && s.config().score() >= threshold) {
                    return spent;
                }
            }
            return budget + 1;
        }

        /** The recorded seconds spent when a COMPLETE trial first scored at least {@code threshold}; infinite if none. */
        public double secondsTo(double threshold) {
            double spent = 0;
            for (Segment s : segments) {
                spent += s.seconds();
                if (s.end() == End.COMPLETE && s.config().score() >= threshold) {
                    return spent;
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        /**
         * Index e - 1: the best score of the trials COMPLETE once e epochs are spent, for e = 1..budget; 0 while none
         * is (pruned, paused and cut trials never count).
         */
        public double[] bestByEpoch(int budget) {
            double[] out = new double[budget];
            double best = 0;
            int spent = 0;
            for (Segment s : segments) {
                java.util.Arrays.fill(out, Math.min(spent, budget), Math.min(spent + s.epochs(), budget), best);
                spent += s.epochs();
                if (s.end() == End.COMPLETE && spent <= budget) {
                    best = Math.max(best, s.config().score());
                    out[spent - 1] = best;
                }
            }
            java.util.Arrays.fill(out, Math.min(spent, budget), budget, best);
            return out;
        }

        /** How many stretches ended in {@code end}: for PAUSED, the pauses. */
        public long count(End end) {
            return segments.stream().filter(s -> s.end() == end).count();
        }

        /** How many trials the replay started. */
        public long trials() {
            return segments.stream().filter(s -> s.from() == 1).count();
        }
    }

    /**
     * Replays one seed.
     *
     * @param sampler a fresh sampler for this seed
     * @param pruner  the pruner, built for the table's epochs per curve
     * @param seed    the search seed (the sampler's random source per proposal, {@link Sampler#randomFor})
     * @param budget  epochs to spend, ≥ 1
     * @throws IllegalStateException when the sampler proposes nothing before the budget is spent
     */
    public static Run run(ReplaySpace replay, Sampler sampler, Pruner pruner, long seed, int budget) {
        SearchSpace space = ReplaySpace.space();
        Map<Integer, TrialHistory.Trial> trials = new LinkedHashMap<>();
        Map<Integer, GridTable.Config> configs = new LinkedHashMap<>();
        List<Segment> segments = new ArrayList<>();
        long clock = 0;
        int spent = 0;
        while (spent < budget) {
            TrialHistory history = new TrialHistory(new ArrayList<>(trials.values()));
            Optional<TrialHistory.Trial> thawed = Promotion.next(pruner, history);
            TrialHistory.Trial t;
            if (thawed.isPresent()) {
                TrialHistory.Trial p = thawed.get();
                t = new TrialHistory.Trial(p.number(), TrialState.RUNNING, p.assignment(), Optional.empty(), p.epochs(),
                        false, p.created(), Optional.of(Instant.ofEpochSecond(++clock)), Optional.empty(), false);
            } else {
                Optional<Assignment> a = sampler.propose(space, history, Sampler.randomFor(seed, history));
                if (a.isEmpty()) {
                    throw new IllegalStateException("the sampler proposed nothing after " + trials.size() + " trials");
                }
                int number = trials.size() + 1;
                configs.put(number, replay.snap(a.get()));
                Instant now = Instant.ofEpochSecond(++clock);
                t = new TrialHistory.Trial(number, TrialState.RUNNING, a.get(), Optional.empty(), List.of(), false,
                        now, Optional.of(now), Optional.empty(), false);
            }
            GridTable.Config config = configs.get(t.number());
            int last = config.epochs().size();
            int from = t.epochs().size() + 1;
            List<MetricPoint> points = new ArrayList<>(t.epochs());
            End end = End.CUT;
            int e = from;
            for (; e <= last && spent < budget; e++) {
                spent++;
                GridTable.Epoch epoch = config.epochs().get(e - 1);
                points.add(new MetricPoint(e, Double.NaN, epoch.valLoss(), epoch.valAccuracy(), epoch.valAccuracy()));
                t = with(t, TrialState.RUNNING, Optional.empty(), points, Optional.empty());
                if (e == last) {
                    end = End.COMPLETE;
                    t = with(t, TrialState.COMPLETE, Optional.of(epoch.valAccuracy()), points,
                            Optional.of(Instant.ofEpochSecond(++clock)));
                    break;
                }
                trials.put(t.number(), t);
                PruneDecision d = pruner.decide(new TrialHistory(new ArrayList<>(trials.values())), t);
                if (d.action() == PruneDecision.Action.PRUNE) {
                    end = End.PRUNED;
                    t = with(t, TrialState.PRUNED, Optional.of(epoch.valAccuracy()), points,
                            Optional.of(Instant.ofEpochSecond(++clock)));
                    break;
                }
                if (d.action() == PruneDecision.Action.PAUSE) {
                    end = End.PAUSED;
                    t = with(t, TrialState.PAUSED, Optional.empty(), points, Optional.empty());
                    break;
                }
            }
            trials.put(t.number(), t);
            segments.add(new Segment(t.number(), config, from, end == End.CUT ? e - 1 : e, end));
        }
        return new Run(segments);
    }

    private static TrialHistory.Trial with(TrialHistory.Trial t, TrialState state, Optional<Double> score,
                                           List<MetricPoint> points, Optional<Instant> finished) {
        return new TrialHistory.Trial(t.number(), state, t.assignment(), score, points, false, t.created(), t.started(),
                finished, false);
    }
}
