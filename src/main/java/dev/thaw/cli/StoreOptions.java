package dev.thaw.cli;

import dev.thaw.store.Database;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the study database is: {@code --results DIR} (its H2 file) or any {@code --db} JDBC URL. */
final class StoreOptions {
    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory holding the study database (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Database URL instead of the results directory's H2 file.")
    String db;

    String url() {
        return db != null ? db : Database.fileUrl(results);
    }
}
