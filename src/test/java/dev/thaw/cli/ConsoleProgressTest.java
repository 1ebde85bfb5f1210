package dev.thaw.cli;

import dev.thaw.store.StudyRecord;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.StudyStatus;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The first line of a run says how many trials a continued study already holds, paused ones included. */
class ConsoleProgressTest {
    private static String started(int finished, int paused) {
        StringWriter text = new StringWriter();
        StudyRecord study = new StudyRecord(1, "fashion-asha", "", "", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 24, 1,
                StudyStatus.RUNNING, Optional.empty(), false, Instant.EPOCH, Instant.EPOCH);
        new ConsoleProgress(new PrintWriter(text), "val_accuracy", Direction.MAXIMIZE)
                .studyStarted(study, finished, paused);
        return text.toString().strip();
    }

    @Test
    void aContinuedStudyCountsItsPausedTrialsAmongItsRecordedOnes() {
        assertEquals("study fashion-asha: budget 24 trials, ranked by val_accuracy (maximize)", started(0, 0));
        assertEquals("study fashion-asha: budget 24 trials, ranked by val_accuracy (maximize), continuing after 6 "
                + "recorded trials", started(6, 0));
        assertEquals("study fashion-asha: budget 24 trials, ranked by val_accuracy (maximize), continuing after 24 "
                + "recorded trials (18 of them PAUSED)", started(6, 18));
    }
}
