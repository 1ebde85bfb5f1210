package dev.thaw.cli;

import dev.thaw.store.DatabaseServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code thaw db-server}: shares a results directory's database over TCP, for workers on other machines. */
@Command(name = "db-server", description = "Serve the results directory's database over TCP so that workers on "
        + "other machines can join (H2 TCP server). Needs THAW_DB_PASSWORD, the password workers log in with as "
        + "Thaw's user (set the same on every node); it is set on that user and kept in thaw.credentials. Runs until "
        + "stopped (Ctrl-C).")
final class DbServerCommand extends ThawCommand {
    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory holding the database (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--port", defaultValue = "9092", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "localhost",
            description = "Host name to put in the printed URL (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--allow-others", description = "Accept connections from other machines (default: this one "
            + "only). Needs a strong THAW_DB_PASSWORD (at least 16 characters, 8 of them different); H2's TCP protocol is not encrypted, "
            + "so outside a trusted network tunnel it (see README, Security).")
    boolean allowOthers;

    @Override
    public Integer call() throws Exception {
        String password = System.getenv().getOrDefault("THAW_DB_PASSWORD", "");
        java.util.Optional<String> weak = DatabaseServer.weakness(password, allowOthers);
        if (weak.isPresent()) {
            throw new UserException("thaw db-server will not start: " + weak.get());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (DatabaseServer server = DatabaseServer.start(results, host, port, allowOthers, password, err()::println)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            out().println("serving " + results.resolve("thaw.mv.db") + " at " + server.url());
            out().println(allowOthers ? "other machines may connect; H2's TCP protocol is not encrypted: outside a "
                    + "trusted network, tunnel it (see README, Security)" : "this machine only (--allow-others: "
                    + "other machines too)");
            out().println("join with (THAW_DB_PASSWORD set as here): " + CommandHints.of(server.url(), results).worker());
            stopped.await();
        }
        return 0;
    }
}
