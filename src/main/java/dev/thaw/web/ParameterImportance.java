package dev.thaw.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the score's variance each parameter explains on its own: the correlation ratio η² of a one-way
 * analysis of variance, grouping trials by the parameter's value (numbers in up to five equal-count bins). Values
 * lie in [0, 1]; they are not additive, and interactions between parameters are not seen.
 */
final class ParameterImportance {
    static final String METHOD = "η² (one-way ANOVA): share of the score's variance explained by each parameter "
            + "alone; numeric parameters in up to 5 equal-count bins, trials where a parameter is inactive in a group "
            + "of their own; COMPLETE trials only";
    private static final int BINS = 5;

    record Importance(String parameter, double value) {
    }

    /** One entry per parameter, most important first; empty when fewer than three trials have scores. */
    static List<Importance> of(List<String> parameters, List<Map<String, Object>> values, List<Double> scores) {
        List<Importance> out = new ArrayList<>();
        if (scores.size() < 3) {
            return out;
        }
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double total = scores.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum();
        for (String p : parameters) {
            List<Object> column = values.stream().map(v -> v.get(p)).toList();
            out.add(new Importance(p, total == 0 ? 0 : between(groups(column), scores, mean) / total));
        }
        out.sort(Comparator.comparingDouble(Importance::value).reversed());
        return out;
    }

    /**
     * Group index of each trial: one group per distinct text value, or per equal-count bin of numbers; the trials
     * where the parameter is inactive (no value) form one group of their own.
     */
    private static int[] groups(List<Object> column) {
        int[] group = new int[column.size()];
        boolean numeric = column.stream().allMatch(v -> v == null || v instanceof Number);
        if (numeric) {
            Integer[] order = java.util.stream.IntStream.range(0, column.size()).filter(i -> column.get(i) != null)
                    .boxed().toArray(Integer[]::new);
            for (int i = 0; i < group.length; i++) {
                if (column.get(i) == null) {
                    group[i] = BINS; // beyond the bins' 0..BINS-1
                }
            }
            java.util.Arrays.sort(order, Comparator.comparingDouble(i -> ((Number) column.get(i)).doubleValue()));
            int bins = Math.min(BINS, order.length);
            for (int rank = 0; rank < order.length; rank++) {
                group[order[rank]] = rank * bins / order.length;
            }
            // equal values must share a bin
            for (int rank = 1; rank < order.length; rank++) {
                if (((Number) column.get(order[rank])).doubleValue() == ((Number) column.get(order[rank - 1])).doubleValue()) {
                    group[order[rank]] = group[order[rank - 1]];
                }
            }
        } else {
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < group.length; i++) {
                group[i] = ids.computeIfAbsent(String.valueOf(column.get(i)), k -> ids.size());
            }
        }
        return group;
    }

    private static double between(int[] group, List<Double> scores, double mean) {
        Map<Integer, double[]> sums = new HashMap<>();
        for (int i = 0; i < group.length; i++) {
            double[] s = sums.computeIfAbsent(group[i], k -> new double[2]);
            s[0] += scores.get(i);
            s[1]++;
        }
        double between = 0;
        for (double[] s : sums.values()) {
            double m = s[0] / s[1];
            between += s[1] * (m - mean) * (m - mean);
        }
        return between;
    }

    private ParameterImportance() {
    }
}
