package dev.thaw.bench;

import dev.thaw.export.BestTrialExporter;
import dev.thaw.run.StoreStudyControl;
import dev.thaw.store.Database;
import dev.thaw.store.LeaderboardStore;
import dev.thaw.store.StudyStore;
import dev.thaw.store.TrialStore;
import dev.thaw.web.WebOptions;
import dev.thaw.web.WebServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The leaderboard API under load: a study database with N synthetic trials (5 parameters, 10 epochs each) served
 * by the real web server; latency of the sorted first page (sequential), then C concurrent clients × R requests.
 * Usage: LeaderboardBenchmark [trials (10000)] [requests (300)] [clients (50)] [requests per client (100)]
 */
public final class LeaderboardBenchmark {
    private static final String[] OPTIMIZERS = {"sgd", "nesterovs", "adam", "rmsprop", "adamax"};

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int perClient = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path dir = Files.createTempDirectory("thaw-bench-leaderboard");
        try (Database db = Database.open(Database.fileUrl(dir))) {
            long fill = System.nanoTime();
            long studyId = fill(db, trials);
            System.out.printf("filled %d trials × 10 epochs in %.1f s%n", trials, (System.nanoTime() - fill) / 1e9);
            StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
            TrialStore store = new TrialStore(db.dataSource(), Clock.systemUTC());
            try (WebServer server = WebServer.start(new WebOptions("127.0.0.1", 0, Optional.empty()),
                    new WebServer.Sources(studies, store, new LeaderboardStore(db.dataSource()),
                            new BestTrialExporter(studies, store), new StoreStudyControl(studies, store)))) {
                String base = "http://127.0.0.1:" + server.port() + "/api/studies/" + studyId + "/trials?limit=50&";
                HttpClient http = HttpClient.newHttpClient();
                // a fixed query may be answered from H2's result cache while the table is unchanged; the pages with a
                // new offset every request (OFFSET below) never are
                for (String query : List.of("sort=score&order=desc", "sort=learning_rate&order=asc",
                        "sort=score&order=desc&state=COMPLETE&param=optimizer&value=adam",
                        "sort=score&order=desc&offset=OFFSET", "sort=learning_rate&order=asc&offset=OFFSET")) {
                    for (int i = 0; i < 50; i++) {
                        call(http, URI.create(base + query.replace("OFFSET", String.valueOf(i * 50))));
                    }
                    long[] times = new long[requests];
                    for (int i = 0; i < requests; i++) {
                        URI uri = URI.create(base + query.replace("OFFSET", String.valueOf((i % 199) * 50 + 1)));
                        long t = System.nanoTime();
                        call(http, uri);
                        times[i] = System.nanoTime() - t;
                    }
                    System.out.printf("%-70s %s%n", query + ":", percentiles(times));
                }
                concurrent(http, URI.create(base + "sort=score&order=desc"), clients, perClient);
            }
        }
    }

    private static void concurrent(HttpClient http, URI uri, int clients, int perClient) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger errors = new AtomicInteger();
        long[] times = new long[clients * perClient];
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < perClient; i++) {
                    long t = System.nanoTime();
                    try {
                        if (call(http, uri) != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    times[next.getAndIncrement()] = System.nanoTime() - t;
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("%d clients × %d requests: %d errors, %.0f requests/s, %s%n", clients, perClient,
                errors.get(), times.length / seconds, percentiles(times));
    }

    private static int call(HttpClient http, URI uri) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            System.err.println(uri + " -> " + r.statusCode() + " " + new String(r.body()));
        }
        return r.statusCode();
    }

    private static String percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.95)] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
    }

    /** One study of {@code n} finished trials, written in JDBC batches (the stores commit one trial at a time). */
    private static long fill(Database db, int n) throws Exception {
        StudyStore studies = new StudyStore(db.dataSource(), Clock.systemUTC());
        long studyId = studies.createOrContinue("bench", "name: bench", "bench", dev.thaw.study.Metric.VAL_ACCURACY,
                dev.thaw.study.Direction.MAXIMIZE, n, 4).id();
        Random random = new Random(7);
        Instant t0 = Instant.now().minusSeconds(n * 10L);
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement trial = c.prepareStatement("INSERT INTO trial (id, study_id, number, state, score, "
                    + "epochs, seed, thaw_version, dl4j_version, java_version, created_at, started_at, finished_at) "
                    + "VALUES (?, ?, ?, ?, ?, 10, 1, 'bench', 'bench', 'bench', ?, ?, ?)");
                 PreparedStatement param = c.prepareStatement("INSERT INTO trial_param (trial_id, name, kind, "
                         + "num_value, text_value) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement epoch = c.prepareStatement("INSERT INTO epoch_metric (trial_id, epoch, train_loss, "
                         + "val_loss, val_accuracy, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= n; i++) {
                    long id = 1_000_000L + i;
                    String state = i % 20 == 0 ? "FAILED" : i % 7 == 0 ? "PRUNED" : "COMPLETE";
                    Instant started = t0.plusSeconds(i * 10L);
                    trial.setLong(1, id);
                    trial.setLong(2, studyId);
                    trial.setInt(3, i);
                    trial.setString(4, state);
                    if (state.equals("FAILED")) {
                        trial.setNull(5, java.sql.Types.DOUBLE);
                    } else {
                        trial.setDouble(5, random.nextDouble());
                    }
                    trial.setTimestamp(6, Timestamp.from(started));
                    trial.setTimestamp(7, Timestamp.from(started));
                    trial.setTimestamp(8, Timestamp.from(started.plusSeconds(5 + random.nextInt(20))));
                    trial.addBatch();
                    addParam(param, id, "learning_rate", "f", Math.pow(10, -4 + 3 * random.nextDouble()), null);
                    addParam(param, id, "batch_size", "i", (double) (16 << random.nextInt(3)), null);
                    addParam(param, id, "dropout", "f", 0.5 * random.nextDouble(), null);
                    addParam(param, id, "optimizer", "s", null, OPTIMIZERS[random.nextInt(OPTIMIZERS.length)]);
                    addParam(param, id, "unfreeze_depth", "i", (double) random.nextInt(4), null);
                    for (int e = 1; e <= 10; e++) {
                        epoch.setLong(1, id);
                        epoch.setInt(2, e);
                        epoch.setDouble(3, 1.0 / e);
                        epoch.setDouble(4, 1.1 / e);
                        epoch.setDouble(5, 1 - 1.0 / (e + 1));
                        epoch.setTimestamp(6, Timestamp.from(started.plusSeconds(e)));
                        epoch.addBatch();
                    }
                    if (i % 500 == 0) {
                        trial.executeBatch();
                        param.executeBatch();
                        epoch.executeBatch();
                        c.commit();
                    }
                }
                trial.executeBatch();
                param.executeBatch();
                epoch.executeBatch();
                c.commit();
            }
        }
        return studyId;
    }

    private static void addParam(PreparedStatement ps, long trial, String name, String kind, Double num, String text)
            throws Exception {
        ps.setLong(1, trial);
        ps.setString(2, name);
        ps.setString(3, kind);
        ps.setObject(4, num);
        ps.setString(5, text);
        ps.addBatch();
    }
}
