package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.TrialHistory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Thaw's Tree-structured Parzen Estimator: the algorithm of Bergstra, Bardenet, Bengio and Kégl, "Algorithms for
 * Hyper-Parameter Optimization" (NeurIPS 2011), with the defaults and modelling details of Optuna 3's
 * {@code TPESampler} (consider_prior with weight 1, the magic clip, endpoints not considered, default gamma and
 * weights, 24 EI candidates).
 *
 * <p><b>Steps of a proposal.</b>
 * <ol>
 *   <li>The ranked trials are the search trials (the baseline never counts) that completed with a score, and those
 *   the pruner ended (PRUNED) or paused after at least one epoch, counted with the value they reached. While there
 *   are fewer than {@code startupTrials}, every active parameter is drawn independently: a float uniformly over its
 *   range (log-uniformly on a log scale), an integer uniformly over its step grid, a choice uniformly, a fixed
 *   parameter its value.</li>
 *   <li>Otherwise the ranked trials are put best first ({@link TpeSplit}): the COMPLETE ones by score in the study's
 *   direction, then the pruned and paused ones by the epochs they reached (more first) and then by the objective at
 *   their last epoch, as Optuna 3.1 ranks pruned trials (ties: lower trial number first); the first
 *   {@code min(ceil(gamma · n), 25)} (at least one) are good, the rest bad. Trials queued or running join the bad ones
 *   as if they had the worst score (the constant liar), so slots proposing while others run avoid their points.</li>
 *   <li>Values are decided in {@link SearchSpace#order()}; a parameter is given one only when it is active under the
 *   values decided so far. Each searched parameter gets a density l(x) fitted to its values in the good trials that
 *   hold it and g(x) fitted to those in the bad trials that hold it (a group without any uses the prior alone); the
 *   proposal is the first best, by log l(x) - log g(x), of {@code candidates} draws from l.</li>
 * </ol>
 *
 * <p><b>Densities.</b> Weighted Parzen mixtures with one component per observation plus a prior one; weights are
 * equal for up to 25 observations, beyond which the older ones ramp linearly from 1/n up to 1 in trial-number order;
 * the prior weighs 1 before normalisation. A float is modelled on its log-transformed axis when it has a log scale,
 * as normals truncated to [low, high] ({@link NumericParzen}; prior at the centre with the width as sigma; each
 * sigma the larger neighbour distance, clipped to [width / min(100, 1 + components), width]). An integer is the same
 * mixture over [low - step/2, last + step/2], its draws rounded to the step grid and its density the mixture's mass
 * on the value's bin. A choice of any values (numbers or strings) is a categorical mixture ({@link CategoricalParzen}).
 * Fixed parameters, and ranges with one value, take that value whenever active.
 *
 * <p><b>Multivariate.</b> With {@code multivariate}, the searched parameters without any condition
 * ({@link SearchSpace#conditional} false) are modelled jointly, from the good and bad trials that hold them all, by
 * product-kernel mixtures with Optuna's multivariate bandwidths ({@link JointParzen}); candidates are drawn jointly
 * and ranked by the joint density ratio. Conditional parameters are then sampled one by one as above, as Optuna's
 * multivariate TPE does without group decomposition.
 *
 * <p><b>Where it differs from Optuna 3.1</b> (the version Debian ships): the truncated normals' log densities
 * include -log(sigma), so every density integrates to 1, as Optuna's do since its fix of issue #5109 (3.1 leaves it
 * out, which weighs each component by its sigma: the prior's wide component then dominates g, and proposals follow l
 * more greedily); failed and stopped trials are not learnt from, nor are paused ones in Optuna, which cannot pause
 * (Thaw ranks a paused trial as a pruned one); trials in flight are always bad observations (Optuna's
 * {@code constant_liar}, off by default there). Bandwidths count the prior's centre among the neighbours, as 3.1
 * does.
 *
 * <p><b>Shapes.</b> The proposal holds exactly the active parameters, in the study's order: a Double within a
 * float's [low, high], an Integer on an integer's step grid within [low, high], one of a choice's own value objects.
 * What it proposes depends only on the space, the history and {@code random}, the only source of randomness; the
 * sampler keeps no state. A proposal over a history of n trials costs O(n log n + candidates · n) per parameter.
 */
final class TpeSampler implements Sampler {
    private final SearchSpec.TpeOptions options;
    private final Direction direction;

    TpeSampler(SearchSpec.TpeOptions options, Direction direction) {
        this.options = options;
        this.direction = direction;
    }

    /** Draws made before a proposal that repeats a trial in flight gives way to a random one. */
    private static final int REDRAWS = 16;

    /**
     * {@inheritDoc} A proposal that equals a trial still queued or running (possible where the space is small and
     * discrete, though pending trials already count as bad) is drawn again, up to {@value #REDRAWS} times, then drawn
     * at random until it differs; a space whose every point is in flight gets a repeat.
     */
    @Override
    public Optional<Assignment> propose(SearchSpace space, TrialHistory history, RandomGenerator random) {
        List<TrialHistory.Trial> search = history.search();
        Map<String, TpeDimension> dims = new LinkedHashMap<>();
        space.params().forEach((name, spec) -> dims.put(name, TpeDimension.of(spec)));
        boolean startup = TpeSplit.rankedCount(search) < options.startupTrials();
        TpeSplit split = startup ? null : TpeSplit.of(search, direction, options.gamma());
        java.util.Set<Assignment> inFlight = new java.util.HashSet<>();
        search.stream().filter(TrialHistory.Trial::pending).forEach(t -> inFlight.add(space.activePart(t.assignment())));
        Assignment proposal = null;
        for (int attempt = 0; attempt <= 4 * REDRAWS && (proposal == null || inFlight.contains(proposal)); attempt++) {
            proposal = startup || attempt >= REDRAWS ? randomDraw(space, dims, random)
                    : modelled(space, dims, split, random);
        }
        return Optional.of(proposal);
    }

    private static Assignment randomDraw(SearchSpace space, Map<String, TpeDimension> dims, RandomGenerator random) {
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (String name : space.order()) {
            if (space.active(name, chosen)) {
                chosen.put(name, dims.get(name).random(random));
            }
        }
        return space.inStudyOrder(chosen);
    }

    private Assignment modelled(SearchSpace space, Map<String, TpeDimension> dims, TpeSplit split,
                                RandomGenerator random) {
        Map<String, Object> chosen = new LinkedHashMap<>();
        Map<String, Object> joint = options.multivariate() ? joint(space, dims, split, random) : Map.of();
        for (String name : space.order()) {
            if (!space.active(name, chosen)) {
                continue;
            }
            TpeDimension dim = dims.get(name);
            Object value = joint.get(name);
            if (value == null) {
                value = dim.kind == TpeDimension.Kind.CONSTANT ? dim.constant() : univariate(name, dim, split, random);
            }
            chosen.put(name, value);
        }
        return space.inStudyOrder(chosen);
    }

    /** One parameter from its own good and bad observations. */
    private Object univariate(String name, TpeDimension dim, TpeSplit split, RandomGenerator random) {
        double[] good = TpeSplit.values(split.good(), name, dim);
        double[] bad = TpeSplit.values(split.bad(), name, dim);
        if (dim.kind == TpeDimension.Kind.CATEGORICAL) {
            CategoricalParzen l = new CategoricalParzen(indices(good), dim.categories());
            CategoricalParzen g = new CategoricalParzen(indices(bad), dim.categories());
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < options.candidates(); i++) {
                int c = l.sample(random);
                double score = l.logProbability(c) - g.logProbability(c);
                if (best < 0 || score > bestScore) {
                    best = c;
                    bestScore = score;
                }
            }
            return dim.external(best);
        }
        NumericParzen l = new NumericParzen(good, dim.low, dim.high, dim.step);
        NumericParzen g = new NumericParzen(bad, dim.low, dim.high, dim.step);
        boolean stepped = dim.kind == TpeDimension.Kind.STEPPED;
        // a grid value drawn again keeps its score (one lookup, not a scan of the earlier draws)
        Map<Double, Double> scored = stepped ? new HashMap<>() : null;
        double bestX = Double.NaN;
        double bestScore = Double.NaN;
        for (int i = 0; i < options.candidates(); i++) {
            double x = stepped ? dim.snap(l.sample(random)) : l.sample(random);
            Double known = stepped ? scored.get(x) : null;
            double score = known != null ? known : l.logDensity(x) - g.logDensity(x);
            if (stepped && known == null) {
                scored.put(x, score);
            }
            if (i == 0 || score > bestScore) {
                bestX = x;
                bestScore = score;
            }
        }
        return dim.external(bestX);
    }

    /** The searched unconditional parameters, drawn jointly; empty when there are none. */
    private Map<String, Object> joint(SearchSpace space, Map<String, TpeDimension> dims, TpeSplit split,
                                      RandomGenerator random) {
        List<String> names = new ArrayList<>();
        for (String name : space.params().keySet()) {
            if (!space.conditional(name) && dims.get(name).kind != TpeDimension.Kind.CONSTANT) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            return Map.of();
        }
        TpeDimension[] jointDims = new TpeDimension[names.size()];
        for (int k = 0; k < jointDims.length; k++) {
            jointDims[k] = dims.get(names.get(k));
        }
        JointParzen l = new JointParzen(jointDims, rows(split.good(), names, jointDims));
        JointParzen g = new JointParzen(jointDims, rows(split.bad(), names, jointDims));
        double[][] candidates = new double[options.candidates()][];
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = l.sample(random);
        }
        double[] logL = l.logDensities(candidates);
        double[] logG = g.logDensities(candidates);
        int best = 0;
        for (int i = 1; i < candidates.length; i++) {
            if (logL[i] - logG[i] > logL[best] - logG[best]) {
                best = i;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k = 0; k < jointDims.length; k++) {
            out.put(names.get(k), jointDims[k].external(candidates[best][k]));
        }
        return out;
    }

    /** Per trial that holds a usable value of every parameter in {@code names}, those values (internal). */
    private static double[][] rows(List<TrialHistory.Trial> trials, List<String> names, TpeDimension[] dims) {
        List<double[]> rows = new ArrayList<>(trials.size());
        for (TrialHistory.Trial t : trials) {
            double[] row = new double[dims.length];
            boolean complete = true;
            for (int k = 0; k < dims.length && complete; k++) {
                Object value = t.assignment().values().get(names.get(k));
                row[k] = value == null ? Double.NaN : dims[k].internal(value);
                complete = !Double.isNaN(row[k]);
            }
            if (complete) {
                rows.add(row);
            }
        }
        return rows.toArray(new double[0][]);
    }

    private static int[] indices(double[] internal) {
        int[] out = new int[internal.length];
        for (int i = 0; i < internal.length; i++) {
            out[i] = (int) internal[i];
        }
        return out;
    }
}
