package dev.thaw.testing;

import dev.thaw.store.Database;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** What tests read back from a study database: a study and its trials, opened and closed on every call. */
public final class StudyDb {
    private final String url;
    private final java.util.Map<String, String> env;

    public StudyDb(String url) {
        this(url, System.getenv());
    }

    /** A database opened with the login {@code env} gives (THAW_DB_PASSWORD for an H2 server). */
    public StudyDb(String url, java.util.Map<String, String> env) {
        this.url = url;
        this.env = env;
    }

    private Database open() {
        return Database.open(url, env, notice -> { });
    }

    public Optional<StudyRecord> study(String name) {
        try (Database db = open()) {
            return new StudyStore(db.dataSource(), Clock.systemUTC()).find(name);
        }
    }

    /** The study's trials by number; empty while the study does not exist. */
    public List<TrialRecord> trials(String study) {
        try (Database db = open()) {
            Optional<StudyRecord> s = new StudyStore(db.dataSource(), Clock.systemUTC()).find(study);
            return s.isEmpty() ? List.of() : new TrialStore(db.dataSource(), Clock.systemUTC()).list(s.get().id());
        }
    }

    /** Each trial's per-epoch values by trial number, epoch 1 first; empty while the study does not exist. */
    public java.util.Map<Integer, List<dev.thaw.study.MetricPoint>> curves(String study) {
        try (Database db = open()) {
            Optional<StudyRecord> s = new StudyStore(db.dataSource(), Clock.systemUTC()).find(study);
            java.util.Map<Integer, List<dev.thaw.study.MetricPoint>> out = new java.util.TreeMap<>();
            if (s.isPresent()) {
                TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
                trials.list(s.get().id()).forEach(t -> out.put(t.number(), trials.epochs(t.id())));
            }
            return out;
        }
    }

    /**
     * Polls the study's trials until {@code condition} holds; fails with {@code why} and the trials after two
     * minutes, or as soon as {@code stillRunning} turns false.
     */
    public void await(String study, Predicate<List<TrialRecord>> condition, BooleanSupplier stillRunning, String why)
            throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(giveUp)) {
            if (condition.test(trials(study))) {
                return;
            }
            if (!stillRunning.getAsBoolean()) {
                throw new AssertionError("stopped before " + why + "; trials: " + trials(study));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + why + "; trials: " + trials(study));
    }
}
