package dev.thaw.web;

import dev.thaw.export.BestTrialExporter;
import dev.thaw.run.StoreStudyControl;
import dev.thaw.store.Database;
import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;

import java.time.Clock;

/** Starts a real web server over a study database, wired as {@code thaw serve} wires it. */
final class Servers {
    private Servers() {
    }

    static WebServer start(Database db, WebOptions options) {
        StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
        TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
        return WebServer.start(options, new WebServer.Sources(studies, trials, new LeaderboardStore(db.dataSource()),
                new BestTrialExporter(studies, trials), new StoreStudyControl(studies, trials)));
    }
}
