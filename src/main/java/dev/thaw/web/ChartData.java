package dev.thaw.web;

import dev.thaw.store.Ranking;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.Direction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plain data behind a study's charts, computed here and drawn by the page: the best score so far after each
 * ranked trial (by trial number and by time), every ranked trial's parameters and score (parallel coordinates,
 * slice plots), and parameter importance with the name of its method. Only trials {@link Ranking} ranks are drawn:
 * never the scratch baseline, nor a pruned or stopped trial's partial score.
 */
record ChartData(List<ParamView> parameters, List<BestSoFar> bestSoFar, List<Point> points, String importanceMethod,
                 List<ParameterImportance.Importance> importance) {

    record BestSoFar(int number, Instant finished, double score, double best) {
    }

    record Point(int number, double score, Map<String, Object> params) {
    }

    static ChartData of(List<ParamView> parameters, List<TrialRecord> trials, Direction direction) {
        List<TrialRecord> scored = trials.stream()
                .filter(t -> Ranking.isRanked(t) && t.finished().isPresent())
                .sorted(Comparator.comparing(t -> t.finished().orElseThrow()))
                .toList();
        List<BestSoFar> best = new ArrayList<>();
        Optional<Double> sofar = Optional.empty();
        for (TrialRecord t : scored) {
            double s = t.score().orElseThrow();
            if (sofar.isEmpty() || direction.better(s, sofar.get())) {
                sofar = Optional.of(s);
            }
            best.add(new BestSoFar(t.number(), t.finished().orElseThrow(), s, sofar.get()));
        }
        List<Point> points = scored.stream().sorted(Comparator.comparingInt(TrialRecord::number))
                .map(t -> new Point(t.number(), t.score().orElseThrow(), t.assignment().values())).toList();
        List<ParameterImportance.Importance> importance = ParameterImportance.of(
                parameters.stream().map(ParamView::name).toList(),
                points.stream().map(Point::params).toList(), points.stream().map(Point::score).toList());
        return new ChartData(parameters, best, points, ParameterImportance.METHOD, importance);
    }
}
