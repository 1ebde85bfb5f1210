package dev.thaw.web;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParameterImportanceTest {
    /**
     * Trials where a numeric parameter is inactive form one group of their own; the others stay in equal-count bins
     * of numbers (not one group per distinct value, which would explain every score).
     */
    @Test
    void trialsWithoutTheParameterAreOneGroupAndTheRestAreBinned() {
        List<Map<String, Object>> values = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // bins of two neighbours, 0 and 1 in each: no bin explains anything
            values.add(Map.of("momentum", 0.5 + i * 0.04));
            scores.add((double) (i % 2));
        }
        for (int i = 0; i < 2; i++) {
            values.add(new HashMap<>()); // momentum inactive
            scores.add(0.5);
        }
        List<ParameterImportance.Importance> importance = ParameterImportance.of(List.of("momentum"), values, scores);
        assertEquals(0.0, importance.get(0).value(), 1e-12);
        scores.set(10, 3.0);
        scores.set(11, 3.0);
        double explained = ParameterImportance.of(List.of("momentum"), values, scores).get(0).value();
        double mean = 11.0 / 12;
        assertEquals(2 * Math.pow(3 - mean, 2) + 10 * Math.pow(0.5 - mean, 2),
                explained * scores.stream().mapToDouble(s -> Math.pow(s - mean, 2)).sum(), 1e-9,
                "the inactive trials' group explains its share, the bins none");
    }
}
