package dev.thaw.cli;

import dev.thaw.store.TrialRecord;
import dev.thaw.study.TrialState;
import dev.thaw.testing.ChildThaw;
import dev.thaw.testing.Cli;
import dev.thaw.testing.Fixture;
import dev.thaw.testing.StudyDb;
import dev.thaw.testing.StudyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several machines, on one: an H2 TCP server on 127.0.0.1, two worker JVMs and a driver that runs no trials itself.
 * Both workers run trials; one is killed mid-trial; the other recovers that trial and finishes the study.
 */
class ClusterTest {
    private static final int BUDGET = 6;
    /** What every node of the cluster is given: the password workers log in with (db-server refuses to start without). */
    private static final java.util.Map<String, String> LOGIN = java.util.Map.of("THAW_DB_PASSWORD",
            "cluster-test-Password-1");

    @TempDir
    Path dir;

    private static List<TrialRecord> trials(String url) {
        return new StudyDb(url, LOGIN).trials("shared");
    }

    @Test
    void twoWorkersShareAStudyAndOneRecoversTheOthersTrial() throws Exception {
        Fixture f = Fixture.get();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path study = dir.resolve("shared.yaml");
        Files.writeString(study, StudyFiles.tiny("shared", f.data, f.sourceModel, dir.resolve("results"), BUDGET, 25));
        try (ChildThaw server = ChildThaw.start(dir.resolve("server.log"), LOGIN, "db-server", "--results",
                dir.resolve("shared-db").toString(), "--port", String.valueOf(port), "--host", "127.0.0.1")) {
            String url = server.awaitLine("serving ").replaceFirst(".* at ", "");
            String join = Cli.printed(server.awaitLine("join with"), ": "); // workers join as it says
            try (ChildThaw one = ChildThaw.startPrinted(dir.resolve("worker-1.log"), LOGIN, join);
                 ChildThaw two = ChildThaw.startPrinted(dir.resolve("worker-2.log"), LOGIN, join)) {
                String oneName = one.awaitLine("worker ").split(" ")[1];
                String twoName = two.awaitLine("worker ").split(" ")[1];
                try (ChildThaw driver = ChildThaw.start(dir.resolve("driver.log"), LOGIN, "run", study.toString(), "--db", url,
                        "--slots", "2", "--local-slots", "0")) {
                    new StudyDb(url, LOGIN).await("shared", t -> t.stream().anyMatch(r -> r.state() == TrialState.RUNNING
                            && r.worker().equals(Optional.of(oneName)) && r.epochs() >= 1)
                            && t.stream().anyMatch(r -> r.worker().equals(Optional.of(twoName))), driver::alive,
                            "both workers busy");
                    one.kill9();
                    assertEquals(0, driver.waitFor(240), driver.output());
                }
                List<TrialRecord> all = trials(url);
                assertEquals(IntStream.rangeClosed(1, BUDGET).boxed().toList(),
                        all.stream().map(TrialRecord::number).toList());
                all.forEach(t -> assertEquals(TrialState.COMPLETE, t.state(), t.toString()));
                assertTrue(all.stream().anyMatch(t -> t.attempts() > 1 && t.worker().equals(Optional.of(twoName))),
                        "the killed worker's trial was recovered by the other: " + all);
                Set<String> workers = all.stream().map(t -> t.worker().orElse("")).collect(Collectors.toSet());
                assertTrue(workers.contains(oneName) || all.stream().anyMatch(t -> t.attempts() > 1), all.toString());
            }
        }
    }
}
