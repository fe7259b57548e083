package com.retentionhub.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Row ids by natural key for rows that are rarely deleted (contacts, conversations), with the
 * get-or-create that both need. A deletion calls {@link #forgetAfterCommit}. NOTE: the cache is per
 * instance; another instance keeps a deleted row's id until it is evicted. Ids learnt inside a transaction are cached only once it commits,
 * so a rolled-back insert never leaves a dangling id behind.
 */
public final class IdCache<K> {

    private final Map<K, Long> ids;

    public IdCache(int capacity) {
        this.ids = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The id of every key: from the cache, else from {@code select}; keys still missing are created
     * with {@code insertMissing} (which must ignore conflicts with concurrent creators) and selected
     * again. Two statements for known rows, four when some are new, whatever the number of keys.
     */
    public Map<K, Long> resolve(Collection<K> keys, Function<List<K>, Map<K, Long>> select, Consumer<List<K>> insertMissing) {
        Map<K, Long> resolved = new HashMap<>();
        Set<K> unknown = new LinkedHashSet<>();
        for (K key : keys) {
            Long id = get(key);
            if (id != null) {
                resolved.put(key, id);
            } else {
                unknown.add(key);
            }
        }
        if (unknown.isEmpty()) {
            return resolved;
        }
        List<K> lookup = new ArrayList<>(unknown);
        Map<K, Long> found = select.apply(lookup);
        List<K> missing = lookup.stream().filter(k -> !found.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            insertMissing.accept(missing);
            found.putAll(select.apply(missing));
        }
        putAfterCommit(found);
        resolved.putAll(found);
        return resolved;
    }

    /** Drops a key once the deleting transaction commits (at once without one). */
    public void forgetAfterCommit(K key) {
        AfterCommit.run(() -> forget(key));
    }

    private synchronized void forget(K key) {
        ids.remove(key);
    }

    private synchronized Long get(K key) {
        return ids.get(key);
    }

    private void putAfterCommit(Map<K, Long> learnt) {
        Map<K, Long> copy = Map.copyOf(learnt);
        AfterCommit.run(() -> putAll(copy));
    }

    private synchronized void putAll(Map<K, Long> learnt) {
        ids.putAll(learnt);
    }
}
