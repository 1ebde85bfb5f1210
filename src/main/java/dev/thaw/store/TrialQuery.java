package dev.thaw.store;

import dev.thaw.study.TrialState;

import java.util.Optional;
import java.util.Set;

/**
 * One page of a study's leaderboard: sorted by {@code sort} (a {@link Column} or a parameter name), optionally only
 * some states, optionally only trials whose parameter {@code filter} equals a value or lies in a range.
 */
public record TrialQuery(String sort, boolean ascending, Set<TrialState> states, Optional<ParamFilter> filter,
                         int limit, int offset) {
    public static final int MAX_LIMIT = 500;

    /** The fixed columns a page can be sorted by; anything else names a parameter. */
    public enum Column { RANK, NUMBER, STATE, SCORE, EPOCHS, DURATION, STARTED, FINISHED }

    public TrialQuery {
        states = Set.copyOf(states);
        if (sort == null || sort.isBlank()) {
            throw new IllegalArgumentException("sort must name a column or a parameter");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
    }

    /** The first page, best first. */
    public static TrialQuery firstPage(int limit) {
        return new TrialQuery("rank", true, Set.of(), Optional.empty(), limit, 0);
    }

    /** The fixed column {@code sort} names, if it names one. */
    public Optional<Column> column() {
        for (Column c : Column.values()) {
            if (c.name().equalsIgnoreCase(sort)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Keeps trials whose parameter {@code name} equals {@code value} (text or number), or lies in [min, max]. */
    public record ParamFilter(String name, Optional<String> value, Optional<Double> min, Optional<Double> max) {
        public ParamFilter {
            if (value.isEmpty() && min.isEmpty() && max.isEmpty()) {
                throw new IllegalArgumentException("a filter on parameter '" + name + "' needs a value, min or max");
            }
            if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
                throw new IllegalArgumentException("min <= max must hold, got min=" + min.get() + ", max=" + max.get());
            }
        }
    }
}
