package dev.thaw.cli;

import dev.thaw.search.HyperbandPruner;
import dev.thaw.search.SamplerFactory;
import dev.thaw.search.SearchSpace;
import dev.thaw.study.Condition;
import dev.thaw.study.Hyperparameter;
import dev.thaw.study.Keys;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.Printable;
import dev.thaw.study.PrunerSpec;
import dev.thaw.study.SearchSpec;
import dev.thaw.study.StudySpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code thaw validate} says of a study's search space: the conditions in force (the study file's and Thaw's
 * own), the parameters that can never be active, for grid search how many cells the grid has and how many distinct
 * trainings they are, and the pruner with its rungs and the budgets under which it cannot act.
 */
final class SearchSpaceReport {
    private final StudySpec spec;
    private final SearchSpace space;

    SearchSpaceReport(StudySpec spec) {
        this.spec = spec;
        this.space = SearchSpace.of(spec);
    }

    /**
     * {@code conditions: momentum only when optimizer = nesterovs (Thaw's own: only nesterovs uses momentum); ...}
     * in the study file's order; empty when no parameter has a condition.
     */
    Optional<String> conditions() {
        List<String> each = new ArrayList<>();
        for (String name : space.params().keySet()) {
            if (space.conditional(name)) {
                each.add(name + " only when " + String.join(" and ", requirements(name, Optional.empty())));
            }
        }
        return each.isEmpty() ? Optional.empty() : Optional.of(Printable.of("conditions: " + String.join("; ", each)));
    }

    /**
     * The pruner in one line: {@code pruner: asha, rungs at epochs 1, 3 (η 3), mode pause}; for hyperband each
     * bracket's rungs ({@code rungs at epochs [1, 3, 9], [3, 9], [9]}); for median from which epoch and after how many
     * complete trials it prunes. Empty without a pruner.
     */
    Optional<String> pruner() {
        PrunerSpec p = spec.pruner();
        return switch (p.type()) {
            case NONE -> Optional.empty();
            case MEDIAN -> Optional.of(String.format(Locale.ROOT, "pruner: median, from epoch %d once %d trial%s "
                    + "complete", p.warmupEpochs(), p.startupTrials(), p.startupTrials() == 1 ? " is" : "s are"));
            case ASHA -> Optional.of(String.format(Locale.ROOT, "pruner: asha, rungs at epochs %s (η %d), mode %s",
                    join(p.rungs(spec.epochs(), 0)), p.reductionFactor(), Keys.of(p.mode())));
            case HYPERBAND -> {
                List<String> brackets = new ArrayList<>();
                for (int b = 0; b < hyperband().brackets(); b++) {
                    List<Integer> rungs = p.rungs(spec.epochs(), b);
                    brackets.add("[" + (rungs.isEmpty() ? "none" : join(rungs)) + "]");
                }
                yield Optional.of(String.format(Locale.ROOT, "pruner: hyperband, %d bracket%s with rungs at epochs %s "
                        + "(η %d), mode %s", brackets.size(), brackets.size() == 1 ? "" : "s",
                        String.join(", ", brackets), p.reductionFactor(), Keys.of(p.mode())));
            }
        };
    }

    private HyperbandPruner hyperband() {
        return new HyperbandPruner(spec.pruner(), spec.direction(), spec.epochs());
    }

    private static String join(List<Integer> epochs) {
        return epochs.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * One line per way the study's budget keeps its pruner from acting: a pausing pruner with fewer trials than η
     * (for hyperband, a bracket with rungs that gets fewer than η of the study's trials) promotes none past its first
     * rung (they all stay paused, none completes); median waiting for more complete trials than the study has, or
     * warming up until the last epoch (where a trial has finished), never prunes. Each starts with {@code warning: }.
     */
    List<String> prunerWarnings() {
        PrunerSpec p = spec.pruner();
        int trials = spec.search().trials();
        List<String> out = new ArrayList<>();
        if (p.pauses() && p.type() == PrunerSpec.Type.HYPERBAND) {
            starvedBrackets().ifPresent(out::add);
        } else if (p.pauses() && trials < p.reductionFactor()) {
            out.add(String.format(Locale.ROOT, "warning: with %d trial%s and reduction_factor %d no trial is promoted "
                    + "past the first rung (epoch %d): every trial pauses there and none completes; raise search.trials "
                    + "to %d or more, or set mode: stop", trials, trials == 1 ? "" : "s", p.reductionFactor(),
                    p.rungs(spec.epochs(), 0).get(0), p.reductionFactor()));
        }
        if (p.type() == PrunerSpec.Type.MEDIAN && p.startupTrials() >= trials) {
            out.add(String.format(Locale.ROOT, "warning: median never prunes: it waits for %d complete trial%s and the "
                    + "study has %d; lower startup_trials below %d or raise search.trials", p.startupTrials(),
                    p.startupTrials() == 1 ? "" : "s", trials, trials));
        }
        if (p.type() == PrunerSpec.Type.MEDIAN && spec.epochs() == 1) {
            out.add("warning: median never prunes: a trial of 1 epoch has finished when it could act; raise "
                    + "budget.epochs or remove pruner");
        } else if (p.type() == PrunerSpec.Type.MEDIAN && p.warmupEpochs() == spec.epochs()) {
            out.add(String.format(Locale.ROOT, "warning: median never prunes: warmup_epochs %d is the last epoch, "
                    + "where a trial has finished; lower warmup_epochs below %d", p.warmupEpochs(), spec.epochs()));
        }
        return out;
    }

    /** The largest budget searched for one that feeds every hyperband bracket η trials. */
    private static final int SEARCHED_BUDGET = 1_000_000;

    /**
     * For a pausing hyperband: the brackets with rungs that get fewer than η of the study's trials (numbered 1 to
     * search.trials; a trial's bracket follows from its number), whose trials all stay paused at the bracket's first
     * rung, and the least budget that gives every such bracket η trials (searched up to 1,000,000 trials).
     */
    private Optional<String> starvedBrackets() {
        PrunerSpec p = spec.pruner();
        HyperbandPruner hyperband = hyperband();
        int eta = p.reductionFactor();
        long[] counts = new long[hyperband.brackets()];
        int trials = spec.search().trials();
        for (int n = 1; n <= trials; n++) {
            counts[hyperband.bracketOf(n)]++;
        }
        List<Integer> starved = new ArrayList<>();
        for (int b = 0; b < counts.length; b++) {
            if (!p.rungs(spec.epochs(), b).isEmpty() && counts[b] < eta) {
                starved.add(b);
            }
        }
        if (starved.isEmpty()) {
            return Optional.empty();
        }
        int enough = trials;
        while (enough < SEARCHED_BUDGET && starved.stream().anyMatch(b -> counts[b] < eta)) {
            counts[hyperband.bracketOf(++enough)]++;
        }
        String which = starved.size() == 1 ? "bracket " + starved.get(0) : "brackets " + starved.stream()
                .map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
        String fix = starved.stream().anyMatch(b -> counts[b] < eta)
                ? String.format(Locale.ROOT, "even %d trials are not enough (each such bracket needs %d of its own): "
                + "lower reduction_factor or set mode: stop", SEARCHED_BUDGET, eta)
                : String.format(Locale.ROOT, "raise search.trials to %d or more, or set mode: stop", enough);
        return Optional.of(String.format(Locale.ROOT, "warning: with %d trial%s and reduction_factor %d, hyperband's "
                + "%s get%s fewer than %d trials: none of %s trials is promoted past its first rung, so none of them "
                + "completes; %s", trials, trials == 1 ? "" : "s", eta, which, starved.size() == 1 ? "s" : "", eta,
                starved.size() == 1 ? "its" : "their", fix));
    }

    /**
     * One line per parameter that can never be active, whatever the sampler chooses: a parameter it depends on is
     * fixed at (or only takes) other values, or is never active itself; and one per parameter that is almost never
     * active because its condition names single values of a float range, which every search but grid draws from a
     * continuum (a grid's points are counted in its distinct trainings). Each starts with {@code warning: }.
     */
    List<String> warnings() {
        List<String> out = new ArrayList<>();
        Set<String> never = new HashSet<>();
        for (String name : space.order()) { // each after the parameters its condition names
            for (Map.Entry<String, Condition.Allowed> e : space.condition(name).requires().entrySet()) {
                String controller = e.getKey();
                ParamSpec takes = space.params().get(controller);
                String why;
                String fix;
                if (never.contains(controller)) {
                    why = controller + " is never active";
                    fix = "make " + controller + " active";
                } else if (!takes.canSatisfy(e.getValue())) {
                    why = takes instanceof ParamSpec.FixedParam f ? "the space fixes " + controller + " at " + f.value()
                            : "the space gives " + controller + " no such value";
                    fix = "search " + controller + " with such a value";
                } else {
                    if (spec.search().algorithm() != SearchSpec.Algorithm.GRID && takes instanceof ParamSpec.FloatParam f
                            && pointsOnly(e.getValue())) {
                        out.add(Printable.of(String.format(Locale.ROOT, "warning: %s is almost never active: it needs "
                                + "%s, single values of %s, which %s search draws from the range [%s, %s]; name a "
                                + "range like {min: M, max: N} in the condition, or make %s a choice", name,
                                String.join(" and ", requirements(name, Optional.of(controller))), controller,
                                spec.search().algorithm().key(), f.low(), f.high(), controller)));
                    }
                    continue;
                }
                never.add(name);
                out.add(Printable.of("warning: " + name + " is never active: it needs "
                        + String.join(" and ", requirements(name, Optional.of(controller))) + ", and " + why + "; "
                        + fix + ", or take " + name + " out of the space"));
                break;
            }
        }
        return out;
    }

    /**
     * For grid search: {@code grid: 16 cells, 9 distinct trainings (cells that differ only in inactive parameters run
     * once)}, or {@code grid: 16 cells} when every cell is a training of its own; empty for the other algorithms.
     */
    Optional<String> grid(SamplerFactory samplers) {
        if (spec.search().algorithm() != SearchSpec.Algorithm.GRID) {
            return Optional.empty();
        }
        long cells = spec.search().gridCells(space.params().values()); // at most SearchSpec.MAX_GRID_CELLS
        long distinct = samplers.effectiveGridSize(spec.search(), space);
        return Optional.of(distinct == cells ? String.format(Locale.ROOT, "grid: %,d cells", cells)
                : String.format(Locale.ROOT, "grid: %,d cells, %,d distinct training%s (cells that differ only in "
                        + "inactive parameters run once)", cells, distinct, distinct == 1 ? "" : "s"));
    }

    /**
     * What {@code name}'s condition requires, each part marked as the study file's or Thaw's own (with the reason);
     * only the parts on {@code controller} when given.
     */
    private List<String> requirements(String name, Optional<String> controller) {
        List<String> parts = new ArrayList<>();
        Optional<Condition> declared = Optional.ofNullable(spec.when().get(name)).map(c -> only(c, controller));
        Optional<Condition> own = space.builtInCondition(name).map(c -> only(c, controller));
        String ownTag = "Thaw's own" + Hyperparameter.parse(name).flatMap(SearchSpaceReport::reason)
                .map(r -> ": " + r).orElse("");
        if (declared.isPresent() && declared.equals(own)) {
            parts.add(declared.get() + " (declared, and " + ownTag + ")");
            return parts;
        }
        declared.filter(c -> !c.requires().isEmpty()).ifPresent(c -> parts.add(c + " (declared)"));
        own.filter(c -> !c.requires().isEmpty()).ifPresent(c -> parts.add(c + " (" + ownTag + ")"));
        return parts;
    }

    /** Whether {@code allowed} admits only isolated values: a list, or {min, max} with min = max. */
    private static boolean pointsOnly(Condition.Allowed allowed) {
        if (allowed instanceof Condition.Both both) {
            return pointsOnly(both.first()) || pointsOnly(both.second());
        }
        return allowed instanceof Condition.OneOf || allowed instanceof Condition.Between b && b.min().isPresent()
                && b.max().isPresent() && b.min().getAsDouble() == b.max().getAsDouble();
    }

    private static Condition only(Condition c, Optional<String> controller) {
        if (controller.isEmpty()) {
            return c;
        }
        Map<String, Condition.Allowed> kept = new java.util.LinkedHashMap<>(c.requires());
        kept.keySet().retainAll(Set.of(controller.get()));
        return new Condition(kept);
    }

    /** Why Thaw's own condition on {@code h} holds. */
    private static Optional<String> reason(Hyperparameter h) {
        return switch (h) {
            case MOMENTUM -> Optional.of("only nesterovs uses momentum");
            case HEAD_EPOCHS -> Optional.of("with nothing thawed there is no head-only phase");
            case BACKBONE_LR_FACTOR -> Optional.of("with nothing thawed no backbone layer learns");
            default -> Optional.empty();
        };
    }
}
