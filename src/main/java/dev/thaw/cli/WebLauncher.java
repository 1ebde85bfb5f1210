package dev.thaw.cli;

import dev.thaw.export.BestTrialExporter;
import dev.thaw.run.StoreStudyControl;
import dev.thaw.store.Database;
import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.web.WebOptions;
import dev.thaw.web.WebServer;
import dev.thaw.web.WebServerException;

import java.io.PrintWriter;
import java.time.Clock;

/** Starts the web leaderboard over a database and says where it is. Used by {@code serve} and {@code run --serve}. */
final class WebLauncher {
    private WebLauncher() {
    }

    static WebServer start(Database database, WebOptions options, PrintWriter out) throws UserException {
        Clock clock = Clock.systemUTC();
        StudyStore studies = new StudyStore(database.dataSource(), clock);
        TrialStore trials = new TrialStore(database.dataSource(), clock);
        WebServer server;
        try {
            server = WebServer.start(options, new WebServer.Sources(studies, trials,
                    new LeaderboardStore(database.dataSource()), new BestTrialExporter(studies, trials),
                    new StoreStudyControl(studies, trials)));
        } catch (WebServerException e) {
            throw new UserException(e.getMessage());
        }
        out.println("leaderboard: " + server.url());
        server.token().ifPresent(t -> out.println("stop actions and downloads need the token " + t
                + " (the address above carries it to the page)"));
        out.flush();
        return server;
    }
}
