package dev.thaw.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which kept-model rows Thaw may use, for studies recorded with and without their output folder. */
class KeptFileTest {
    @TempDir
    Path dir;

    private Path file(String relative) throws Exception {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, "model");
    }

    @Test
    void aStudyRecordedWithoutItsOutputFolderStillServesItsOwnModelsFolder() throws Exception {
        Path own = file("results/tiny/models/trial-1.zip");
        assertEquals(own.toRealPath(), KeptFile.check(own.toString(), null, "tiny").file().orElseThrow());
        for (Path other : new Path[]{file("results/other/models/trial-1.zip"), file("results/tiny/trial-1.zip"),
                file("thaw.mv.db")}) {
            KeptFile kept = KeptFile.check(other.toString(), null, "tiny");
            assertTrue(kept.file().isEmpty() && kept.refusal().orElseThrow().contains("tiny/models"), kept.toString());
        }
        Path link = dir.resolve("results/tiny/models/trial-2.zip");
        Files.createSymbolicLink(link, file("secret.txt"));
        assertTrue(KeptFile.check(link.toString(), null, "tiny").refusal().isPresent());
        assertTrue(KeptFile.check("results/tiny/models/trial-1.zip", null, "tiny").refusal().orElseThrow()
                .contains("relative"));
    }

    @Test
    void aStudyWithItsOutputFolderServesOnlyFromThere() throws Exception {
        Path own = file("results/tiny/models/trial-1.zip");
        String outputDir = dir.resolve("results").toString();
        assertTrue(KeptFile.check(own.toString(), outputDir, "tiny").file().isPresent());
        Path elsewhere = file("elsewhere/tiny/models/trial-1.zip");
        assertTrue(KeptFile.check(elsewhere.toString(), outputDir, "tiny").refusal().isPresent());
    }
}
