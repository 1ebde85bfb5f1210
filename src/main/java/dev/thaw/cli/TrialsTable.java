package dev.thaw.cli;

import dev.thaw.store.StudyRecord;
import dev.thaw.store.TrialRow;
import dev.thaw.study.Printable;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A study's leaderboard as an aligned text table, in the order given (best first); ranks are the store's. A column
 * per parameter any trial has; a parameter inactive in a trial (its condition did not hold) is an empty cell.
 */
final class TrialsTable {
    private final StudyRecord study;
    private final List<TrialRow> trials;

    TrialsTable(StudyRecord study, List<TrialRow> trials) {
        this.study = study;
        this.trials = trials;
    }

    void print(PrintWriter out) {
        Set<String> params = new TreeSet<>();
        trials.forEach(t -> params.addAll(t.params().keySet()));
        List<String> header = new ArrayList<>(List.of("rank", "trial", "state",
                study.metric().name().toLowerCase(Locale.ROOT), "epochs", "seconds"));
        params.forEach(p -> header.add(Printable.of(p)));
        header.add("error or reason");
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (TrialRow t : trials) {
            List<String> row = new ArrayList<>();
            row.add(t.baseline() ? "scratch" : t.rank().map(String::valueOf).orElse("-"));
            row.add(String.valueOf(t.number()));
            row.add(t.state().name());
            row.add(t.score().map(s -> String.format(Locale.ROOT, "%.4f", s)
                    + t.scoreSpread().map(d -> String.format(Locale.ROOT, "±%.4f", d)).orElse("")).orElse("-"));
            row.add(String.valueOf(t.epochs()));
            row.add(t.durationMillis().map(d -> String.format(Locale.ROOT, "%.1f", d / 1000.0)).orElse("-"));
            for (String p : params) { // a parameter inactive in this trial has no value: an empty cell
                row.add(t.params().containsKey(p) ? format(t.params().get(p)) : "");
            }
            row.add(Printable.of(t.error().or(t::reason).orElse(""))); // a reason is anyone's text: one line, inert
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        rows.forEach(r -> {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        });
        out.printf(Locale.ROOT, "study %s (%s), ranked by %s (%s)%n", Printable.of(study.name()), study.status(),
                study.metric().name().toLowerCase(Locale.ROOT), study.direction().key());
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s", r.get(i))).append(i + 1 < r.size() ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return Math.abs(d) < 1e-2 && d != 0 ? String.format(Locale.ROOT, "%.2e", d)
                    : String.format(Locale.ROOT, "%.4g", d);
        }
        return v == null ? "-" : Printable.of(String.valueOf(v));
    }
}
