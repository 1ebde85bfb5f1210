package dev.thaw.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.TrialRow;
import dev.thaw.study.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code thaw trials STUDY}: the study's leaderboard in the terminal, or as JSON. */
@Command(name = "trials", description = "Show a study's trials, best first (or list the studies when none is named).")
final class TrialsCommand extends ThawCommand {
    @Parameters(paramLabel = "STUDY", arity = "0..1", description = "The study name.")
    String study;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() throws Exception {
        store.requireDatabase();
        try (Database db = Database.open(store.url(), err()::println)) {
            StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
            if (study == null) {
                for (StudyRecord s : studies.list()) {
                    out().printf(Locale.ROOT, "%-32s %-9s budget %d%n", Printable.of(s.name()), s.status(),
                            s.budget());
                }
                return 0;
            }
            StudyRecord record = store.requireStudy(studies, study);
            List<TrialRow> ranked = new LeaderboardStore(db.dataSource()).all(record.id(), record.direction());
            if (json) {
                printJson(record, ranked);
            } else {
                new TrialsTable(record, ranked).print(out());
            }
            return 0;
        }
    }

    private void printJson(StudyRecord study, List<TrialRow> trials) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TrialRow t : trials) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rank", t.rank().orElse(null));
            row.put("number", t.number());
            row.put("baseline", t.baseline() ? "scratch" : null);
            row.put("state", t.state().name());
            row.put("score", t.score().orElse(null));
            row.put("score_spread", t.scoreSpread().orElse(null));
            row.put("epochs", t.epochs());
            row.put("duration_seconds", t.durationMillis().map(d -> d / 1000.0).orElse(null));
            row.put("params", t.params());
            row.put("error", t.error().orElse(null));
            row.put("reason", t.reason().orElse(null));
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("study", study.name());
        out.put("status", study.status().name());
        out.put("metric", study.metric().name().toLowerCase(Locale.ROOT));
        out.put("direction", study.direction().key());
        out.put("trials", rows);
        // Jackson escapes control characters in strings; the terminal writer escapes bidi controls the JSON way,
        // so a JSON reader gets the stored text back
        out().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }
}
