package dev.thaw.cli;

import dev.thaw.study.SuggestedCommand;
import dev.thaw.web.WebOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code thaw} commands that the command line's messages suggest, each with the options that reach the same
 * study database as the command that prints it: {@code --db URL}, or {@code --results DIR} unless DIR is the
 * default. {@link SuggestedCommand} prints them, quoted to run as printed.
 */
final class CommandHints {
    /** The reason a suggested {@code stop} records; the user may type another. */
    static final String STOP_REASON = "stopped by hand";
    private static final Path DEFAULT_RESULTS = Path.of("results");

    private final List<String> store;

    private CommandHints(List<String> store) {
        this.store = List.copyOf(store);
    }

    /** Hints for the database at {@code db} when given, otherwise the H2 file in {@code results}. */
    static CommandHints of(String db, Path results) {
        if (db != null) {
            return new CommandHints(List.of("--db", db));
        }
        return new CommandHints(results.normalize().equals(DEFAULT_RESULTS) ? List.of()
                : List.of("--results", results.toString()));
    }

    /** {@code thaw trials STUDY}: the study's leaderboard. */
    SuggestedCommand trials(String study) {
        return SuggestedCommand.of("trials", study).and(store);
    }

    /** {@code thaw trials}: the studies in the database. */
    SuggestedCommand studies() {
        return SuggestedCommand.of("trials").and(store);
    }

    /** {@code thaw stop STUDY --reason ...}: no new trials; the running ones finish. */
    SuggestedCommand stop(String study) {
        return SuggestedCommand.of("stop", study, "--reason", STOP_REASON).and(store);
    }

    /** {@code thaw resume STUDY}: continues a stopped or crashed study from its stored study file. */
    SuggestedCommand resume(String study) {
        return SuggestedCommand.of("resume", study).and(store);
    }

    /** {@code thaw serve}, on the address and port of {@code web}. */
    SuggestedCommand serve(WebOptions web) {
        List<String> args = new ArrayList<>(store);
        if (!web.host().equals(WebOptions.DEFAULT_HOST)) {
            args.addAll(List.of("--host", web.host()));
        }
        if (web.port() != WebOptions.DEFAULT_PORT) {
            args.addAll(List.of("--port", String.valueOf(web.port())));
        }
        return SuggestedCommand.of("serve").and(args);
    }

    /** {@code thaw schedules}: the scheduled studies. */
    SuggestedCommand schedules() {
        return SuggestedCommand.of("schedules").and(store);
    }

    /** {@code thaw schedules --remove NAME}. */
    SuggestedCommand removeSchedule(String name) {
        return SuggestedCommand.of("schedules", "--remove", name).and(store);
    }

    /** {@code thaw worker}: a node that runs trials and scheduled studies on this database. */
    SuggestedCommand worker() {
        return SuggestedCommand.of("worker").and(store);
    }
}
