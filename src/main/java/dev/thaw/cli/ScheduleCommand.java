package dev.thaw.cli;

import dev.thaw.run.ClusterConfig;
import dev.thaw.run.StudySchedules;
import dev.thaw.store.Database;
import dev.thaw.store.ScheduleRecord;
import dev.thaw.store.ScheduleStore;
import dev.thaw.store.StudyConflictException;
import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code thaw schedule STUDY.yaml --at TIME | --cron EXPR}: queues a study for later or for regular re-tuning. */
@Command(name = "schedule", description = "Run a study later (--at) or on a Quartz cron schedule (--cron), on the "
        + "cluster's workers. Schedules live in the database and survive restarts; 'thaw schedules' lists them.")
final class ScheduleCommand extends ThawCommand {
    private static final Pattern IN = Pattern.compile("\\+(\\d+)(s|m|h)");

    @Parameters(paramLabel = "STUDY.yaml", description = "The study file.")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    When when;

    static final class When {
        @Option(names = "--at", paramLabel = "TIME", description = "Once, at 2026-11-24T02:00 (this machine's zone), "
                + "2026-11-24T02:00Z, or in a while: +90s, +10m, +2h.")
        String at;

        @Option(names = "--cron", paramLabel = "EXPR", description = "Repeatedly, on a Quartz cron expression in this "
                + "machine's zone, e.g. \"0 0 2 * * ?\" (02:00 every night); each run is a new study <name>-<time>.")
        String cron;
    }

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database URL instead of the H2 file in the study's output.dir.")
    String db;

    @Override
    public Integer call() throws Exception {
        String text = StudyFileReader.text(file);
        StudySpec spec = new StudyFileReader().parse(text);
        CheckedStudy.check(spec, text);
        Optional<Instant> at = Optional.empty();
        Optional<String> cron = Optional.empty();
        if (when.cron != null) {
            Optional<String> problem = StudySchedules.cronProblem(when.cron);
            if (problem.isPresent()) {
                throw new UserException("--cron: " + problem.get() + "; a Quartz cron expression has six fields: "
                        + "seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 2 * * ?\"");
            }
            cron = Optional.of(when.cron);
        } else {
            at = Optional.of(parseAt(when.at));
        }
        String url = db != null ? db : Database.fileUrl(spec.output().dir());
        try (Database database = Database.open(url, err()::println);
             StudySchedules schedules = StudySchedules.open(
                     ClusterConfig.studies(database.url(), database.credentials()))) {
            CommandHints hints = CommandHints.of(db, spec.output().dir());
            ScheduleRecord record;
            try {
                record = new ScheduleStore(database.dataSource(), Clock.systemUTC())
                        .create(spec.name(), text, at, cron);
            } catch (StudyConflictException e) {
                throw new UserException(e.getMessage() + "; remove it first with: "
                        + hints.removeSchedule(spec.name()));
            }
            Instant first = schedules.add(record, ZoneId.systemDefault());
            out().printf("scheduled study '%s', first run at %s%n", spec.name(), first);
            out().println("a worker on this database runs it: " + hints.worker());
        }
        return 0;
    }

    static Instant parseAt(String text) throws UserException {
        Matcher in = IN.matcher(text.trim());
        if (in.matches()) {
            long n = Long.parseLong(in.group(1));
            return Instant.now().plusSeconds(switch (in.group(2)) {
                case "s" -> n;
                case "m" -> n * 60;
                default -> n * 3600;
            });
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e2) {
                throw new UserException("--at: cannot read '" + text + "'; use 2026-11-24T02:00, 2026-11-24T02:00Z "
                        + "or +10m");
            }
        }
    }
}
