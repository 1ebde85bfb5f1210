package dev.thaw.store;

import java.util.List;

/** A page of leaderboard rows and how many trials match the query in all. */
public record TrialPage(int total, List<TrialRow> rows) {
    public TrialPage {
        rows = List.copyOf(rows);
    }
}
