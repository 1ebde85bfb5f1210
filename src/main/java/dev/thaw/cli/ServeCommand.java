package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.web.WebOptions;
import dev.thaw.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.CountDownLatch;

/** {@code thaw serve}: the web leaderboard over a study database, until interrupted. */
@Command(name = "serve", description = "Serve the leaderboard and its JSON API in the browser until Ctrl-C.")
final class ServeCommand extends ThawCommand {
    @Mixin
    StoreOptions store = new StoreOptions();

    @Mixin
    WebOptionsMixin web = new WebOptionsMixin();

    @Override
    public Integer call() throws Exception {
        WebOptions options = web.options();
        store.requireDatabase();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Database db = Database.open(store.url(), err()::println);
             WebServer server = WebLauncher.start(db, options, out())) {
            Thread hook = new Thread(stopped::countDown, "thaw-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out().println("serving " + store.url() + "; Ctrl-C stops");
            out().flush();
            stopped.await();
        }
        return 0;
    }
}
