package dev.thaw.cli;

import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import picocli.CommandLine.Option;

import java.nio.file.Files;
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

    /** The commands that messages suggest, on this database. */
    CommandHints hints() {
        return CommandHints.of(db, results);
    }

    /** Fails with a one-line error when there is no database yet to read (rather than creating an empty one). */
    void requireDatabase() throws UserException {
        if (db == null && !Files.isRegularFile(results.resolve("thaw.mv.db"))) {
            throw new UserException("no study database in " + results + "/ (thaw.mv.db); run a study first, "
                    + "or point --results or --db at one");
        }
    }

    /** The named study, or a one-line error with the command that lists the studies. */
    StudyRecord requireStudy(StudyStore studies, String name) throws UserException {
        return studies.find(name).orElseThrow(() -> new UserException("no study named '" + name + "' in "
                + url() + "; list the studies with: " + hints().studies()));
    }
}
