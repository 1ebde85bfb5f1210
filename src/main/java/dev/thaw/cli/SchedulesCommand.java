package dev.thaw.cli;

import dev.thaw.run.ClusterConfig;
import dev.thaw.run.StudySchedules;
import dev.thaw.store.Database;
import dev.thaw.store.ScheduleRecord;
import dev.thaw.store.ScheduleStore;
import dev.thaw.study.Printable;
import dev.thaw.study.SuggestedCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.List;

/** {@code thaw schedules [--remove NAME]}: lists the scheduled studies, or removes one. */
@Command(name = "schedules", description = "List scheduled studies with their next run, or remove one.")
final class SchedulesCommand extends ThawCommand {
    @Option(names = "--remove", paramLabel = "NAME", description = "Remove this schedule.")
    String remove;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Override
    public Integer call() throws Exception {
        store.requireDatabase();
        try (Database database = Database.open(store.url(), err()::println);
             StudySchedules quartz = StudySchedules.open(
                     ClusterConfig.studies(database.url(), database.credentials()))) {
            ScheduleStore schedules = new ScheduleStore(database.dataSource(), Clock.systemUTC());
            if (remove != null) {
                ScheduleRecord record = schedules.find(remove).orElseThrow(() -> new UserException(
                        "no schedule named '" + Printable.of(remove) + "'; list them with: "
                                + store.hints().schedules()));
                quartz.remove(record.name());
                schedules.delete(record.id());
                out().println("removed schedule '" + Printable.of(record.name()) + "'");
                return 0;
            }
            List<ScheduleRecord> all = schedules.list();
            if (all.isEmpty()) {
                out().println("no scheduled studies; how to add one: " + SuggestedCommand.of("help", "schedule"));
            }
            for (ScheduleRecord s : all) {
                String when = s.cron().map(c -> "cron \"" + Printable.of(c) + "\"")
                        .orElseGet(() -> "at " + s.at().orElseThrow());
                String next = quartz.nextFire(s.name()).map(i -> "next " + i).orElse("done");
                out().printf("%-32s %-28s %s%n", Printable.of(s.name()), when, next);
            }
            return 0;
        }
    }
}
