package dev.thaw.bench;

import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the search benchmark's table ({@link GridTable}) from a recorded study's trials, read through Thaw's store:
 * every COMPLETE search trial becomes a configuration (its id is the trial's number), one row per epoch, with the
 * epoch's wall time from when the store recorded it. Trials not COMPLETE are left out and counted in the header.
 * Usage: TableWriter RESULTS_DIR STUDY OUT [HEADER_LINE...] (the lines say how the recording was made).
 */
public final class TableWriter {

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: TableWriter RESULTS_DIR STUDY OUT [HEADER_LINE...]");
            System.exit(2);
        }
        Path out = Path.of(args[2]);
        GridTable table = read(Path.of(args[0]), args[1], Arrays.asList(args).subList(3, args.length));
        table.write(out);
        System.out.printf(Locale.ROOT, "wrote %s: %d configurations, best score %.4f%n", out, table.configs().size(),
                table.best());
    }

    /** The table of {@code study} in the database under {@code resultsDir}, {@code given} first in its header. */
    public static GridTable read(Path resultsDir, String study, List<String> given) {
        try (Database db = Database.open(Database.fileUrl(resultsDir))) {
            StudyRecord record = new StudyStore(db.dataSource(), Clock.systemUTC()).find(study).orElseThrow(() ->
                    new IllegalArgumentException("no study " + study + " in " + resultsDir + "; name the study the "
                            + "recording ran"));
            TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
            List<TrialRecord> all = trials.list(record.id()).stream().filter(t -> !t.baseline()).toList();
            List<GridTable.Config> configs = new ArrayList<>();
            Instant first = Instant.MAX;
            Instant last = Instant.MIN;
            for (TrialRecord t : all) {
                if (t.state() != TrialState.COMPLETE || t.started().isEmpty()) {
                    continue;
                }
                if (t.attempts() > 1) {
                    System.err.println("note: trial " + t.number() + " was started " + t.attempts() + " times; its "
                            + "epoch 1 seconds count from the last start");
                }
                configs.add(config(t, trials.epochs(t.id()), trials.epochTimes(t.id())));
                first = t.started().get().isBefore(first) ? t.started().get() : first;
                last = t.finished().filter(last::isBefore).orElse(last);
            }
            List<String> header = new ArrayList<>(given);
            header.add(String.format(Locale.ROOT, "study %s: %d configurations COMPLETE of %d search trials (budget "
                    + "%d)%s", study, configs.size(), all.size(), record.budget(),
                    configs.size() < record.budget() ? ", a partial table" : ""));
            if (!configs.isEmpty()) {
                header.add(String.format(Locale.ROOT, "trials ran from %s to %s (%.0f s); their epochs took %.0f s "
                        + "in all", first, last, Duration.between(first, last).toMillis() / 1e3,
                        configs.stream().mapToDouble(GridTable.Config::seconds).sum()));
            }
            header.add("score of a configuration: the val_accuracy of its last epoch (maximized)");
            header.add("seconds: epoch 1 from the trial's start (loading its data and building its network "
                    + "included), each later epoch from the one before");
            header.add("config: the trial's number in the study");
            return new GridTable(header, configs);
        }
    }

    private static GridTable.Config config(TrialRecord t, List<MetricPoint> points, List<Instant> times) {
        Assignment a = t.assignment();
        List<GridTable.Epoch> epochs = new ArrayList<>();
        Instant previous = t.started().get();
        for (int i = 0; i < points.size(); i++) {
            MetricPoint p = points.get(i);
            epochs.add(new GridTable.Epoch(p.epoch(), p.validationAccuracy(), p.validationLoss(),
                    Duration.between(previous, times.get(i)).toNanos() / 1e9));
            previous = times.get(i);
        }
        return new GridTable.Config(t.number(), number(a, "learning_rate").doubleValue(),
                number(a, "batch_size").intValue(), number(a, "dropout").doubleValue(),
                (String) Optional.ofNullable(a.values().get("optimizer")).orElseThrow(() -> missing(t, "optimizer")),
                number(a, "unfreeze_depth").intValue(), epochs);
    }

    private static Number number(Assignment a, String name) {
        Object v = a.values().get(name);
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("a trial has " + name + "=" + v + "; the table needs the five parameters "
                + "of scripts/bench/tables/record-study.yaml");
    }

    private static IllegalArgumentException missing(TrialRecord t, String name) {
        return new IllegalArgumentException("trial " + t.number() + " has no " + name + "; the table needs the five "
                + "parameters of scripts/bench/tables/record-study.yaml");
    }
}
