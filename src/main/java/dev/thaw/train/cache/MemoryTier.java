package dev.thaw.train.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tables held on the heap, at most {@code budget} bytes of values in all, least recently used dropped first. Shared
 * by every caller of one {@link FeatureStore}; thread-safe.
 */
final class MemoryTier {
    private record Held(FeatureKey key, HeapTable table, long bytes) {
    }

    private final long budget;
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    MemoryTier(long budget) {
        this.budget = budget;
    }

    /** True when a table of this layout may be held: its values fit the budget and each tensor one array. */
    boolean takes(TableLayout layout) {
        return layout.dataBytes() <= budget && HeapTable.fits(layout);
    }

    /** The table held for {@code key} with this layout, now the most recently used; empty if none. */
    synchronized Optional<FeatureTable> get(String id, FeatureKey key, TableLayout layout) {
        Held h = held.get(id);
        if (h == null || !h.key().equals(key) || !h.table().layout().sameAs(layout)) {
            return Optional.empty();
        }
        return Optional.of(h.table());
    }

    /** Holds {@code table} for {@code key}, dropping the least recently used tables until it fits. */
    synchronized void put(String id, FeatureKey key, HeapTable table) {
        long size = table.layout().dataBytes();
        if (size > budget) {
            return;
        }
        Held old = held.remove(id);
        if (old != null) {
            bytes -= old.bytes();
        }
        Iterator<Map.Entry<String, Held>> eldest = held.entrySet().iterator();
        while (bytes + size > budget && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
        held.put(id, new Held(key, table, size));
        bytes += size;
    }

    /** The bytes of values held now. */
    synchronized long bytes() {
        return bytes;
    }

    synchronized void clear() {
        held.clear();
        bytes = 0;
    }
}
