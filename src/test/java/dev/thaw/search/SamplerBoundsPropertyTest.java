package dev.thaw.search;

import dev.thaw.study.Assignment;
import dev.thaw.study.Direction;
import dev.thaw.study.ParamSpec;
import dev.thaw.study.SearchSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every sampler, over 200 random spaces with awkward ranges (a log range of 1e-7 to 3e-7, a float range of one
 * point, negative ranges, integer ranges whose high is off the step grid, choices of strings, ints, doubles and
 * mixes, fixed values, Thaw's conditional parameters with their controllers), proposes 30 trials scored at random:
 * each proposal holds exactly its active parameters, each value inside its declared range exactly and of the right
 * type. (The grid skips spaces of over a million cells.)
 */
class SamplerBoundsPropertyTest {
    private static final int SPACES = 200;
    private static final int TRIALS = 30;

    private record Case(String label, SearchSpec search) {
    }

    private static List<Case> samplers(long seed) {
        List<Case> out = new ArrayList<>();
        for (SearchSpec.Algorithm a : List.of(SearchSpec.Algorithm.RANDOM, SearchSpec.Algorithm.GRID,
                SearchSpec.Algorithm.GENETIC)) {
            out.add(new Case(a.key(), new SearchSpec(a, TRIALS, seed, Optional.empty(), 3)));
        }
        out.add(new Case("tpe", new SearchSpec(SearchSpec.Algorithm.TPE, TRIALS, seed, Optional.empty(), 3,
                SearchSpec.TpeOptions.DEFAULT)));
        out.add(new Case("tpe multivariate", new SearchSpec(SearchSpec.Algorithm.TPE, TRIALS, seed, Optional.empty(),
                3, new SearchSpec.TpeOptions(10, 0.1, 24, true))));
        return out;
    }

    @Test
    void everyProposalHoldsItsActiveParametersWithinTheirRanges() {
        SplittableRandom spaces = new SplittableRandom(2024);
        for (int s = 0; s < SPACES; s++) {
            SearchSpace space = SearchSpace.of(randomSpace(spaces));
            for (Case c : samplers(s)) {
                if (c.search().algorithm() == SearchSpec.Algorithm.GRID && gridCells(space) > 1e6) {
                    continue; // Arbiter's grid refuses more than 2^31 - 1 cells, and is slow to walk past many
                }
                Sampler sampler = new SamplerFactory().create(c.search(), space, Direction.MAXIMIZE);
                SplittableRandom scores = new SplittableRandom(s);
                List<Assignment> trials = new SequentialStudy(sampler, space, s)
                        .run(TRIALS, a -> scores.nextDouble(-1, 1));
                assertTrue(!trials.isEmpty(), c.label() + " proposed nothing over " + space.params());
                for (Assignment a : trials) {
                    check(space, a, c.label() + " over " + space.params() + ": " + a.values());
                }
            }
        }
    }

    /** How many cells the grid of 3 points per float has: more than Arbiter's grid takes is possible here. */
    private static double gridCells(SearchSpace space) {
        double cells = 1;
        for (ParamSpec p : space.params().values()) {
            if (p instanceof ParamSpec.FloatParam) {
                cells *= 3;
            } else if (p instanceof ParamSpec.IntParam i) {
                cells *= i.count();
            } else if (p instanceof ParamSpec.ChoiceParam c) {
                cells *= c.values().size();
            }
        }
        return cells;
    }

    private static void check(SearchSpace space, Assignment a, String where) {
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (String name : space.order()) {
            boolean active = space.active(name, chosen);
            Object value = a.values().get(name);
            assertEquals(active, value != null, name + (active ? " active but absent" : " inactive but present")
                    + " in " + where);
            if (active) {
                inRange(space.params().get(name), value, name + " in " + where);
                chosen.put(name, value);
            }
        }
        assertEquals(chosen.keySet(), a.values().keySet(), where);
        assertEquals(new ArrayList<>(a.values().keySet()),
                space.params().keySet().stream().filter(a.values()::containsKey).toList(), "study order: " + where);
    }

    private static void inRange(ParamSpec spec, Object value, String where) {
        if (spec instanceof ParamSpec.FloatParam f) {
            assertEquals(Double.class, value.getClass(), where);
            double v = (Double) value;
            assertTrue(v >= f.low() && v <= f.high(), v + " outside [" + f.low() + ", " + f.high() + "]: " + where);
        } else if (spec instanceof ParamSpec.IntParam i) {
            assertEquals(Integer.class, value.getClass(), where);
            long v = (Integer) value;
            assertTrue(v >= i.low() && v <= i.high() && (v - i.low()) % i.step() == 0, v + " not on " + i + ": "
                    + where);
        } else if (spec instanceof ParamSpec.ChoiceParam c) {
            assertTrue(c.values().stream().anyMatch(x -> x.equals(value) && x.getClass() == value.getClass()),
                    value + " not one of " + c.values() + ": " + where);
        } else if (spec instanceof ParamSpec.FixedParam f) {
            assertEquals(f.value(), value, where);
        } else {
            fail("unknown parameter kind " + spec);
        }
    }

    /** One to six parameters under plain or arbitrary names, sometimes with Thaw's conditional ones. */
    private static Map<String, ParamSpec> randomSpace(SplittableRandom r) {
        Map<String, ParamSpec> p = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(List.of("learning_rate", "dropout", "batch_size", "weight_decay",
                "head_units", "p0", "p1", "p2", "p3", "p4"));
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            p.put(names.remove(r.nextInt(names.size())), randomParam(r));
        }
        if (r.nextInt(3) == 0) {
            p.put("optimizer", new ParamSpec.ChoiceParam(pick(r, List.of(List.of("sgd", "adam", "nesterovs"),
                    List.of("nesterovs"), List.of("adam", "sgd"), List.of("nesterovs", "adam")))));
            p.put("momentum", r.nextBoolean() ? new ParamSpec.FloatParam(0.5, 0.99, false) : randomParam(r));
        }
        if (r.nextInt(3) == 0) {
            p.put("unfreeze_depth", pick(r, List.of(new ParamSpec.IntParam(0, 4, 1), new ParamSpec.IntParam(0, 7, 3),
                    new ParamSpec.ChoiceParam(List.of(0, 2)), new ParamSpec.FixedParam(1))));
            p.put("head_epochs", new ParamSpec.IntParam(1, 5, 2));
            if (r.nextBoolean()) {
                p.put("backbone_lr_factor", new ParamSpec.FloatParam(0.01, 1, true));
            }
        }
        return p;
    }

    private static ParamSpec randomParam(SplittableRandom r) {
        return switch (r.nextInt(14)) {
            case 0 -> new ParamSpec.FloatParam(1e-7, 3e-7, true);
            case 1 -> new ParamSpec.FloatParam(0.1, 0.1, r.nextBoolean());
            case 2 -> new ParamSpec.FloatParam(-5, -1, false);
            case 3 -> new ParamSpec.FloatParam(-1e-3, 2e-3, false);
            case 4 -> new ParamSpec.FloatParam(1e-5, 1, true);
            case 5 -> new ParamSpec.FloatParam(r.nextDouble(-10, 10), 10 + r.nextDouble(10), false);
            case 6 -> {
                int low = r.nextInt(-10, 10);
                yield new ParamSpec.IntParam(low, low + r.nextInt(20), 1 + r.nextInt(7));
            }
            case 7 -> new ParamSpec.IntParam(3, 3, 1);
            case 8 -> new ParamSpec.IntParam(0, 1000, 3);
            case 9 -> new ParamSpec.ChoiceParam(List.of("a", "b", "c"));
            case 10 -> new ParamSpec.ChoiceParam(pick(r, List.of(List.of(16, 32, 64), List.of(0.5, 1.5),
                    List.of("only"), List.of(1, "x", 2.5))));
            case 11 -> new ParamSpec.FixedParam(pick(r, List.of(42, "fixed", 0.25)));
            case 12 -> new ParamSpec.FloatParam(1, 1 + 1e-9, r.nextBoolean());
            default -> new ParamSpec.FloatParam(0, 1, false);
        };
    }

    private static <T> T pick(SplittableRandom r, List<T> options) {
        return options.get(r.nextInt(options.size()));
    }
}
