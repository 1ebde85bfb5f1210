package dev.thaw.web;

import dev.thaw.store.LeaderboardStore;
import io.javalin.http.sse.SseClient;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Live updates by server-sent events. One thread looks at the database's change marks every {@code interval}
 * (cheap aggregate queries, one per watched study, whatever the number of clients) and sends a {@code change}
 * event to a study's clients when its mark moved; the page then fetches what it shows. The trials may be run by
 * any process on any machine: the database is the only thing watched.
 */
final class EventHub implements AutoCloseable {
    private static final String ALL = "all";
    private static final long KEEP_ALIVE_TICKS = 30;

    private final LeaderboardStore leaderboard;
    private final ScheduledExecutorService ticker;
    private final Map<String, Set<SseClient>> clients = new ConcurrentHashMap<>();
    private final Map<String, String> marks = new ConcurrentHashMap<>();
    private long ticks;

    EventHub(LeaderboardStore leaderboard, Duration interval) {
        this.leaderboard = leaderboard;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thaw-web-events");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Keeps {@code client} open and sends it a {@code change} event whenever any study changes. */
    void watchAll(SseClient client) {
        add(ALL, client, leaderboard::mark);
    }

    /** Keeps {@code client} open and sends it a {@code change} event whenever the study's leaderboard changes. */
    void watchStudy(long studyId, SseClient client) {
        add(String.valueOf(studyId), client, () -> leaderboard.mark(studyId));
    }

    private void add(String key, SseClient client, Supplier<String> mark) {
        client.keepAlive();
        client.onClose(() -> remove(key, client));
        marks.computeIfAbsent(key, k -> mark.get());
        clients.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(client);
        client.sendEvent("hello", marks.get(key));
    }

    private void remove(String key, SseClient client) {
        Set<SseClient> set = clients.get(key);
        if (set != null) {
            set.remove(client);
        }
    }

    private void tick() {
        ticks++;
        for (Map.Entry<String, Set<SseClient>> e : clients.entrySet()) {
            Set<SseClient> watching = e.getValue();
            watching.removeIf(SseClient::terminated);
            if (watching.isEmpty()) {
                marks.remove(e.getKey());
                continue;
            }
            try {
                String now = e.getKey().equals(ALL) ? leaderboard.mark() : leaderboard.mark(Long.parseLong(e.getKey()));
                String before = marks.put(e.getKey(), now);
                for (SseClient c : watching) {
                    if (!now.equals(before)) {
                        c.sendEvent("change", now);
                    } else if (ticks % KEEP_ALIVE_TICKS == 0) {
                        c.sendComment("keep-alive");
                    }
                }
            } catch (RuntimeException ex) {
                // the database is briefly unavailable (a writer holds it); the next tick tries again
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        clients.values().forEach(set -> set.forEach(SseClient::close));
        clients.clear();
    }
}
