package dev.thaw.search;

import dev.thaw.study.Direction;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Tells Arbiter's genetic generator which way scores improve. Thaw scores trials itself, so the scoring methods
 * are never called by the generator.
 */
final class DirectionScore implements ScoreFunction {
    private final Direction direction;

    DirectionScore(Direction direction) {
        this.direction = direction;
    }

    @Override
    public boolean minimize() {
        return direction == Direction.MINIMIZE;
    }

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        throw new UnsupportedOperationException("Thaw scores trials in dev.thaw.train");
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        throw new UnsupportedOperationException("Thaw scores trials in dev.thaw.train");
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(Object.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(Object.class);
    }
}
