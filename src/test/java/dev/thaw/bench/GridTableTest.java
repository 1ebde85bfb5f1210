package dev.thaw.bench;

import dev.thaw.store.Database;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialDraft;
import dev.thaw.store.TrialRecord;
import dev.thaw.store.TrialStore;
import dev.thaw.study.Assignment;
import dev.thaw.study.ClassificationReport;
import dev.thaw.study.Direction;
import dev.thaw.study.Metric;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.TrialResult;
import dev.thaw.study.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridTableTest {
    @TempDir
    Path dir;

    private void gzip(Path file, String text) throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsTheHeaderAndOneConfigurationPerIdWithItsEpochsInOrder() throws Exception {
        Path file = dir.resolve("t.csv.gz");
        gzip(file, """
                # study file: scripts/bench/tables/record-study.yaml
                # wall time: 12 s
                config,learning_rate,batch_size,dropout,optimizer,unfreeze_depth,epoch,val_accuracy,val_loss,seconds
                7,1.0E-4,16,0.5,adam,2,1,0.5,1.2,3.5
                7,1.0E-4,16,0.5,adam,2,2,0.75,NaN,2.0
                9,0.1,64,0.0,sgd,0,1,0.8,0.9,1.0
                """);
        GridTable t = GridTable.read(file);
        assertEquals(List.of("study file: scripts/bench/tables/record-study.yaml", "wall time: 12 s"), t.header());
        assertEquals(2, t.configs().size());
        GridTable.Config first = t.configs().get(0);
        assertEquals(List.of(7, 1.0e-4, 16, 0.5, "adam", 2), List.of(first.id(), first.learningRate(),
                first.batchSize(), first.dropout(), first.optimizer(), first.unfreezeDepth()));
        assertEquals(0.75, first.score(), "the last epoch's val_accuracy");
        assertEquals(5.5, first.seconds());
        assertTrue(Double.isNaN(first.epochs().get(1).valLoss()));
        assertEquals(0.8, t.best());
    }

    @Test
    void writeThenReadGivesTheSameTable() {
        GridTable t = ReplaySpaceTest.grid();
        GridTable headed = new GridTable(List.of("made by a test", "score: last epoch"), t.configs());
        Path file = dir.resolve("grid.csv.gz");
        headed.write(file);
        assertEquals(headed, GridTable.read(file));
    }

    @Test
    void aFileWithOtherColumnsIsRefusedNamingTheLine() throws Exception {
        Path file = dir.resolve("bad.csv.gz");
        gzip(file, "# a header\nconfig,lr,score\n1,0.1,0.5\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GridTable.read(file));
        assertTrue(e.getMessage().startsWith(file + " line 2: expected the columns config,"), e.getMessage());
    }

    @Test
    void theWriterTakesCompleteTrialsFromTheStoreWithEachEpochsSeconds() {
        Instant t0 = Instant.parse("2026-11-29T18:00:00Z");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("learning_rate", 1.585e-3);
        values.put("batch_size", 64);
        values.put("dropout", 0.5);
        values.put("optimizer", "nesterovs");
        values.put("unfreeze_depth", 3);
        TrialDraft draft = new TrialDraft(new Assignment(values), 42, "sha256:abc", "0.1", "1.0.0-M2.1", "17");
        ClassificationReport report = new ClassificationReport(List.of(5, 6), new int[][]{{50, 0}, {10, 40}});
        try (Database db = Database.open(Database.fileUrl(dir))) {
            TrialStore at0 = new TrialStore(db.dataSource(), Clock.fixed(t0, ZoneOffset.UTC));
            long study = new StudyStore(db.dataSource(), Clock.fixed(t0, ZoneOffset.UTC)).createOrContinue(
                    "search-table", "text", "h", Metric.VAL_ACCURACY, Direction.MAXIMIZE, 288, 1).id();
            TrialRecord done = at0.start(at0.create(study, 1, draft), "w");
            store(db, t0.plusSeconds(5)).recordEpoch(done.id(), new MetricPoint(1, 1.0, 0.9, 0.6, 0.6));
            store(db, t0.plusMillis(12_500)).recordEpoch(done.id(), new MetricPoint(2, 0.8, 0.7, 0.9, 0.9));
            store(db, t0.plusSeconds(13)).finish(done.id(), TrialState.COMPLETE, 0.9,
                    new TrialResult(report, 0.7, Optional.empty(), 2), null);
            TrialRecord running = at0.start(at0.create(study, 2, draft), "w");
            at0.recordEpoch(running.id(), new MetricPoint(1, 1.0, 0.9, 0.6, 0.6));
        }
        GridTable t = TableWriter.read(dir, "search-table", List.of("given line"));
        assertEquals(1, t.configs().size());
        GridTable.Config c = t.configs().get(0);
        assertEquals(List.of(1, 1.585e-3, 64, 0.5, "nesterovs", 3), List.of(c.id(), c.learningRate(), c.batchSize(),
                c.dropout(), c.optimizer(), c.unfreezeDepth()));
        assertEquals(List.of(new GridTable.Epoch(1, 0.6, 0.9, 5.0), new GridTable.Epoch(2, 0.9, 0.7, 7.5)),
                c.epochs());
        assertEquals("given line", t.header().get(0));
        assertTrue(t.header().contains("study search-table: 1 configurations COMPLETE of 2 search trials (budget 288),"
                + " a partial table"), String.join("\n", t.header()));
    }

    private static TrialStore store(Database db, Instant at) {
        return new TrialStore(db.dataSource(), Clock.fixed(at, ZoneOffset.UTC));
    }
}
