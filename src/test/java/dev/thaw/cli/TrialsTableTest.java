package dev.thaw.cli;

import dev.thaw.store.StudyRecord;
import dev.thaw.store.TrialRow;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.StudyStatus;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code thaw trials}' table: pruned, stopped and paused trials are listed unranked with the reason they ended. */
class TrialsTableTest {
    private static TrialRow row(Optional<Integer> rank, int number, TrialState state, double score, int epochs,
                                String reason) {
        return new TrialRow(rank, number, state, Optional.of(score), Map.of("dropout", 0.1), epochs, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.ofNullable(reason), false,
                Optional.empty());
    }

    @Test
    void prunedStoppedAndPausedTrialsShowTheirReasonsUnranked() {
        StudyRecord study = new StudyRecord(1, "pruning", "", "h", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 4, 1,
                StudyStatus.RUNNING, Optional.empty(), false, Instant.EPOCH, Instant.EPOCH);
        StringWriter out = new StringWriter();
        new TrialsTable(study, List.of(
                row(Optional.of(1), 1, TrialState.COMPLETE, 0.7, 5, null),
                row(Optional.empty(), 2, TrialState.PRUNED, 0.99, 1, "epoch 1: 0.2000 is below the median 0.45"),
                row(Optional.empty(), 3, TrialState.STOPPED, 0.98, 2, "seen enough"),
                row(Optional.empty(), 4, TrialState.PAUSED, 0.58, 4, "epoch 4: 0.5800 is outside the top 1/2")))
                .print(new PrintWriter(out, true));
        assertEquals(List.of(
                "study pruning (RUNNING), ranked by val_accuracy (maximize)",
                "rank  trial  state     val_accuracy  epochs  seconds  dropout  error or reason",
                "1     1      COMPLETE  0.7000        5       -        0.1000",
                "-     2      PRUNED    0.9900        1       -        0.1000   epoch 1: 0.2000 is below the median 0.45",
                "-     3      STOPPED   0.9800        2       -        0.1000   seen enough",
                "-     4      PAUSED    0.5800        4       -        0.1000   epoch 4: 0.5800 is outside the top 1/2"),
                out.toString().lines().toList());
    }
}
