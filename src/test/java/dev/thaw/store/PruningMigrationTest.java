package dev.thaw.store;

import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialState;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database written before pruning existed (migration 9): its PRUNED trials were all stopped by a user or a study's
 * stop, and become STOPPED; its epochs get the objective's value where their columns hold it.
 */
class PruningMigrationTest {
    @TempDir
    Path dir;

    @Test
    void oldPrunedRowsBecomeStoppedAndOldEpochsGetTheirObjective() throws Exception {
        String url = Database.fileUrl(dir);
        Credentials before = new Credentials("sa", ""); // how databases were made before migration 10's era
        Flyway.configure().dataSource(url, before.user(), before.password())
                .locations("classpath:db/migration/common")
                .javaMigrations(new V2__QuartzJobStore(), new V5__QuartzJobDataAsProperties()).target("9")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url, before.user(), before.password())) {
            study(c, 1, "acc", "VAL_ACCURACY", "MAXIMIZE");
            study(c, 2, "loss", "VAL_LOSS", "MINIMIZE");
            study(c, 3, "f1", "VAL_F1", "MAXIMIZE");
            trial(c, 10, 1, 1, "PRUNED");
            trial(c, 11, 1, 2, "COMPLETE");
            trial(c, 20, 2, 1, "PRUNED");
            trial(c, 30, 3, 1, "FAILED");
            for (long t : new long[]{10, 11, 20, 30}) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO epoch_metric (trial_id, epoch, train_loss, "
                        + "val_loss, val_accuracy, recorded_at) VALUES (?, 1, 0.9, 0.7, 0.6, ?)")) {
                    s.setLong(1, t);
                    s.setObject(2, OffsetDateTime.now());
                    s.executeUpdate();
                }
            }
        }
        try (Database db = Database.open(url, java.util.Map.of(), line -> { })) {
            TrialStore trials = new TrialStore(db.dataSource(), Clock.systemUTC());
            assertEquals(TrialState.STOPPED, trials.get(10).state());
            assertEquals(TrialState.COMPLETE, trials.get(11).state());
            assertEquals(TrialState.STOPPED, trials.get(20).state());
            assertEquals(TrialState.FAILED, trials.get(30).state());
            assertEquals(List.of(0.6), trials.epochs(10).stream().map(MetricPoint::objective).toList(),
                    "accuracy: the objective is the accuracy column");
            assertEquals(List.of(0.7), trials.epochs(20).stream().map(MetricPoint::objective).toList(),
                    "loss: the loss column");
            assertTrue(Double.isNaN(trials.epochs(30).get(0).objective()), "F1 was not kept per epoch: unknown");
            assertTrue(trials.best(1, Direction.MAXIMIZE).isEmpty(), "trial 11 has no score: nothing ranks");
        }
    }

    private static void study(Connection c, long id, String name, String metric, String direction) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO study (id, name, spec_text, spec_hash, metric, "
                + "direction, budget, status, created_at, updated_at) VALUES (?, ?, 'x', 'h', ?, ?, 3, 'COMPLETE', ?, ?)")) {
            s.setLong(1, id);
            s.setString(2, name);
            s.setString(3, metric);
            s.setString(4, direction);
            s.setObject(5, OffsetDateTime.now());
            s.setObject(6, OffsetDateTime.now());
            s.executeUpdate();
        }
    }

    private static void trial(Connection c, long id, long study, int number, String state) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO trial (id, study_id, number, state, seed, "
                + "thaw_version, dl4j_version, java_version, created_at) VALUES (?, ?, ?, ?, 1, 'v', 'v', 'v', ?)")) {
            s.setLong(1, id);
            s.setLong(2, study);
            s.setInt(3, number);
            s.setString(4, state);
            s.setObject(5, OffsetDateTime.now());
            s.executeUpdate();
        }
    }
}
