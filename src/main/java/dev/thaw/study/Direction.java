package dev.thaw.study;

/** Whether the objective metric is better when larger or when smaller. */
public enum Direction {
    MAXIMIZE, MINIMIZE;

    /** True when {@code candidate} is strictly better than {@code incumbent} in this direction. */
    public boolean better(double candidate, double incumbent) {
        return this == MAXIMIZE ? candidate > incumbent : candidate < incumbent;
    }

    public String key() {
        return Keys.of(this);
    }
}
